// The desk in a real browser: Debian's Chromium driven by Playwright. Run by tests/desk.rs,
// which starts `claimtrail serve` on a store holding the bundled corpus and a hostile
// article, then checks what this script reports and what `claimtrail show` says.
//
//   node desk.mjs BASE_URL SCREENSHOT_DIR HOSTILE_CLAIM_ID
//
// Prints one JSON object on stdout: the claim it judged and corrected, and the pages it
// took screenshots of. Any failed expectation throws (exit code 1) with what was seen.

import { chromium } from 'playwright-core';

const [base, shots, hostile] = process.argv.slice(2);
if (!base || !shots || !hostile) {
  console.error('usage: node desk.mjs BASE_URL SCREENSHOT_DIR HOSTILE_CLAIM_ID');
  process.exit(2);
}

function expect(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const report = { pages: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = async (name) => {
    const path = `${shots}/${name}.png`;
    await page.screenshot({ path, fullPage: true });
    report.pages.push(path);
  };

  // Search, then narrow by two facets by clicking them: the URL keeps the whole query.
  await page.goto(`${base}/`);
  await page.fill('input[name=q]', 'Witkoff');
  await page.click('form.search button[type=submit]');
  await page.waitForSelector('li.hit');
  const all = Number(await page.textContent('.total-count'));
  await page.click('section[data-facet=status] a:has-text("unverified")');
  await page.waitForURL(/status=unverified/);
  await page.click('section[data-facet=kind] li:first-child a');
  await page.waitForURL(/kind=/);
  const url = new URL(page.url());
  expect(url.searchParams.get('q') === 'Witkoff' && url.searchParams.get('status') === 'unverified'
    && url.searchParams.get('kind'), `the URL to hold the query and both facets, got ${page.url()}`);
  const narrowed = Number(await page.textContent('.total-count'));
  expect(narrowed > 0 && narrowed <= all, `0 < ${narrowed} <= ${all} claims after two facets`);
  await shot('search');
  // The back button undoes the last facet.
  await page.goBack();
  expect(!new URL(page.url()).searchParams.get('kind'), 'back to drop the kind facet');
  await page.goForward();

  // Open the first claim, record a verdict with evidence, then correct its speaker.
  await page.click('li.hit a.claim-link');
  await page.waitForSelector('article.claim');
  const claim = Number(await page.getAttribute('article.claim', 'data-claim'));
  await page.selectOption('#verdict-form select[name=status]', 'disputed');
  await page.fill('#verdict-form textarea[name=note]', 'two outlets contradict it');
  await page.fill('#verdict-form textarea[name=evidence]', 'https://evidence.example/a\nhttps://evidence.example/b');
  await page.click('#verdict-form button[type=submit]');
  await page.waitForSelector('li.verdict');
  await page.fill('#correct-form input[name=speaker]', 'Jane Desk (person)');
  await page.fill('#correct-form input[name=note]', 'the quote is hers');
  await page.click('#correct-form button[type=submit]');
  await page.waitForSelector('li.correction');
  const verdicts = await page.textContent('ol.verdicts');
  expect(verdicts.includes('disputed') && verdicts.includes('https://evidence.example/b')
    && verdicts.includes('two outlets contradict it'), `the verdict in the history, got ${verdicts}`);
  const corrections = await page.textContent('ol.corrections');
  expect(corrections.includes('Jane Desk'), `the correction in the history, got ${corrections}`);
  const chain = await page.textContent('ul.chain');
  expect(chain.includes('Jane Desk'), `the corrected speaker in the chain, got ${chain}`);
  await shot('claim');
  report.claim = claim;

  // The seed article (article 1): every claim it lists is highlighted in its text.
  await page.goto(`${base}/articles/1`);
  const listed = await page.$$eval('ol.article-claims a', (as) => as.map((a) => a.getAttribute('href').split('/').pop()));
  expect(listed.length > 10, `the seed article to list its claims, got ${listed.length}`);
  for (const id of listed) {
    const marks = await page.$$(`.text a.hl[data-claim="${id}"]`);
    expect(marks.length > 0, `claim ${id} highlighted in the article text`);
  }
  const kinds = await page.$$eval('.text a.hl', (as) => [...new Set(as.map((a) => a.className))]);
  expect(kinds.length === 3, `source, cue and content marks, got ${kinds}`);
  const colours = await page.$$eval('.legend .hl', (ss) => ss.map((s) => getComputedStyle(s).backgroundColor));
  expect(new Set(colours).size === 3, `three distinct colours, got ${colours}`);
  report.highlighted = listed.length;
  await shot('article');

  // Source, stories, and a narrow screen.
  await page.goto(`${base}/sources/Bloomberg`);
  await page.waitForSelector('h1');
  await shot('source');
  await page.goto(`${base}/stories`);
  await page.waitForSelector('h1');
  await shot('stories');
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto(`${base}/?q=Witkoff`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 0, `no sideways scrolling at 400 px, got ${overflow} px too wide`);
  await shot('search-400px');
  await page.setViewportSize({ width: 1100, height: 900 });

  // A claim holding markup renders as text: no script runs, no console error.
  await page.goto(`${base}/claims/${hostile}`);
  const statement = await page.textContent('blockquote.statement');
  expect(statement.includes('<script>'), `the markup shown as text, got ${statement}`);
  const injected = await page.evaluate(() => window.__pwned === true);
  expect(!injected, 'no script of the claim to run');
  await shot('hostile');
  expect(problems.length === 0, `no console error, got ${problems.join(' | ')}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
