//! HTML pages: metadata from the head (Open Graph, `article:` properties, canonical link),
//! the visible article text from the body, one paragraph per block element.
//!
//! Hostile nesting is handled twice: tags nested deeper than [`MAX_DEPTH`] are dropped
//! from the source before parsing (html5ever's scope checks walk the whole stack of open
//! elements, so 100,000 nested `<div>`s would take minutes), and the walk over the tree is a
//! loop, not a recursion, so nothing overflows the stack.

use super::{Document, MAX_META_BYTES, Origin, ReadError, parse_date};
use crate::model::ArticleMeta;
use scraper::node::Element;
use scraper::{ElementRef, Html, Selector};
use std::borrow::Cow;
use std::path::Path;

/// How deep elements may nest before their tags are dropped (their text is kept). Real
/// article pages stay well under a hundred; browsers stop laying out at 512.
pub(super) const MAX_DEPTH: usize = 512;

/// Elements that never have an end tag, or whose end tag is usually implied: they are not
/// counted as nesting, so a page of unclosed `<p>`s is not mistaken for a deep one.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];

/// Elements whose content is raw text up to their end tag (no tags inside).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "form",
    "button",
    "select",
    "textarea",
    "iframe",
    "svg",
    "canvas",
    "video",
    "audio",
    "object",
    "head",
];

/// Words in a class or id that mark page furniture rather than article prose.
const FURNITURE: &[&str] = &[
    "credit",
    "caption",
    "byline",
    "share",
    "related",
    "newsletter",
    "advert",
    "sponsor",
    "promo",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "hr",
    "address",
    "body",
];

pub(super) fn read(path: &Path, content: &str) -> Result<Document, ReadError> {
    let page = Html::parse_document(&flatten_deep_nesting(content, MAX_DEPTH));
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|tag| first(&page, tag))
        .unwrap_or_else(|| page.root_element());
    let text = article_text(root);
    if text.is_empty() {
        return Err(ReadError::Html {
            path: path.to_path_buf(),
            message: "no article text found in the page".into(),
        });
    }
    Ok(Document {
        meta: meta(&page, root),
        text,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

fn first<'a>(page: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse(selector).ok()?;
    page.select(&selector).next()
}

fn meta(page: &Html, root: ElementRef<'_>) -> ArticleMeta {
    let tag = |key: &str| {
        let selector = Selector::parse("meta").ok()?;
        page.select(&selector)
            .find(|m| {
                let v = m.value();
                v.attr("property")
                    .or_else(|| v.attr("name"))
                    .is_some_and(|k| k.trim().eq_ignore_ascii_case(key))
            })
            .and_then(|m| m.value().attr("content"))
            .map(collapse)
            .filter(|s| usable(s))
    };
    let text_of = |selector: &str| {
        first(page, selector)
            .map(|e| collapse(&e.text().collect::<String>()))
            .filter(|s| usable(s))
    };

    let title = tag("og:title")
        .or_else(|| text_of("title"))
        .or_else(|| text_of("h1"));
    let canonical = Selector::parse("link[href]").ok().and_then(|selector| {
        page.select(&selector)
            .find(|l| {
                l.value().attr("rel").is_some_and(|rel| {
                    rel.split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                })
            })
            .and_then(|l| l.value().attr("href"))
            .map(|h| h.trim().to_string())
            .filter(|h| usable(h))
    });
    // A date that does not parse is left unknown here rather than failing the page: meta
    // tags are often machine-filled with odd formats, and the text is still worth reading.
    let time_in_article = Selector::parse("time[datetime]").ok().and_then(|selector| {
        root.select(&selector)
            .find_map(|t| t.value().attr("datetime").and_then(parse_date))
    });
    let published = tag("article:published_time")
        .and_then(|d| parse_date(&d))
        .or(time_in_article);
    let author = tag("author").or_else(|| tag("article:author").filter(|a| !a.starts_with("http")));
    let language = page
        .root_element()
        .value()
        .attr("lang")
        .map(str::trim)
        .filter(|l| usable(l))
        .map(str::to_string);
    ArticleMeta {
        title,
        outlet: tag("og:site_name"),
        published,
        url: canonical.or_else(|| tag("og:url")),
        author,
        language,
    }
}

/// A metadata value worth keeping: not empty, and not over [`MAX_META_BYTES`] (a page's
/// head is often machine-filled; an absurd value there is left unknown, not an error).
fn usable(value: &str) -> bool {
    !value.is_empty() && value.len() <= MAX_META_BYTES
}

/// The visible text under `root`, one line per paragraph.
fn article_text(root: ElementRef<'_>) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let p = collapse(current);
        if !p.is_empty() {
            paragraphs.push(p);
        }
        current.clear();
    };

    // A depth-first walk with an explicit cursor: open a node, descend to its first child
    // unless it is dropped, otherwise close it and move to the next sibling, climbing up as
    // long as there is none.
    let top = *root;
    let mut node = top;
    'walk: loop {
        let mut descend = false;
        if let Some(text) = node.value().as_text() {
            current.push_str(text);
        } else if let Some(el) = node.value().as_element() {
            if node != top && dropped(el, ElementRef::wrap(node)) {
                // neither text nor a paragraph break
            } else {
                if el.name() == "br" {
                    current.push(' ');
                }
                if BLOCKS.contains(&el.name()) {
                    flush(&mut current);
                }
                descend = true;
            }
        }
        if descend && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        loop {
            if node
                .value()
                .as_element()
                .is_some_and(|el| BLOCKS.contains(&el.name()))
            {
                flush(&mut current);
            }
            if node == top {
                break 'walk;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'walk,
            }
        }
    }
    flush(&mut current);
    paragraphs.join("\n")
}

/// Page furniture: never-text elements, header/footer outside an article, and anything whose
/// class or id says it is a credit, caption, byline, share bar, related links, newsletter box
/// or advert.
fn dropped(el: &Element, node: Option<ElementRef<'_>>) -> bool {
    let name = el.name();
    if DROPPED.contains(&name)
        || el.attr("hidden").is_some()
        || el.attr("aria-hidden").is_some_and(|v| v == "true")
    {
        return true;
    }
    if (name == "header" || name == "footer")
        && !node.is_some_and(|n| {
            n.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "article")
            })
        })
    {
        return true;
    }
    let marks = format!(
        "{} {}",
        el.attr("class").unwrap_or(""),
        el.id().unwrap_or("")
    )
    .to_ascii_lowercase();
    FURNITURE.iter().any(|word| marks.contains(word))
}

/// The page with every start and end tag nested deeper than `max` removed, text kept.
/// Borrowed unchanged when nothing is that deep (every real page).
///
/// A light tag scanner, not a parser: it skips comments, doctypes and raw-text elements
/// (`<script>` and the like, which may contain `<div` in strings) and respects quoted
/// attribute values; it only has to count nesting well enough to bound the parser's work.
fn flatten_deep_nesting(html: &str, max: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut depth = 0usize;
    let mut copied = 0usize; // bytes of `html` already copied to `out`
    let mut i = 0usize;
    while let Some(found) = html[i..].find('<') {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = rest.find('>').map_or(html.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            // Skip to the matching end tag; the raw text is never tags.
            let close = format!("</{name}");
            i = find_ascii_case_insensitive(&html[end..], &close).map_or(html.len(), |e| end + e);
            continue;
        }
        let nesting = !self_closing && !NOT_NESTING.contains(&name.as_str());
        let too_deep = nesting
            && if closing {
                let deep = depth > max;
                depth = depth.saturating_sub(1);
                deep
            } else {
                depth += 1;
                depth > max
            };
        if too_deep {
            let buffer = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buffer.push_str(&html[copied..start]);
            copied = end;
        }
        i = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut buffer) => {
            buffer.push_str(&html[copied..]);
            Cow::Owned(buffer)
        }
    }
}

/// The byte just after the `>` ending a tag whose name ends at `from`, quotes respected.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (offset, b) in bytes[from..].iter().enumerate() {
        match (quote, *b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*b),
            (None, b'>') => return from + offset + 1,
            (None, _) => {}
        }
    }
    bytes.len()
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Whitespace runs (newlines, tabs, no-break spaces) become one space; ends trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn read_html(content: &str) -> Result<Document, ReadError> {
        read(Path::new("a.html"), content)
    }

    const PAGE: &str = r#"<!doctype html>
<html lang="en"><head>
  <title>Title tag | Site</title>
  <meta property="og:title" content="Port talks &amp; grain">
  <meta property="og:site_name" content="The Harbour Ledger">
  <meta property="article:published_time" content="2025-11-25T00:30:00+02:00">
  <meta property="og:url" content="https://example.org/og">
  <link rel="canonical" href="https://example.org/canonical">
  <meta name="author" content="Mara Quill">
  <style>p { color: red }</style>
</head><body>
  <header><nav><a href="/">Home</a></nav><div class="masthead">Site header text</div></header>
  <script>var x = "<p>not text</p>";</script>
  <main>
  <article>
    <header><h1>Port   talks
      stall</h1><p class="byline">By Mara Quill</p></header>
    <p>“We are close,” the&nbsp;minister said.</p>
    <figure><img src="x.jpg"><figcaption>The port at dawn. Photo: Jo Doe</figcaption></figure>
    <div>Direct text in a div <b>with bold</b>.<p>Nested paragraph.</p></div>
    <ul><li>First item</li><li>Second<br>item</li></ul>
    <blockquote>A quoted block.</blockquote>
    <div class="share-tools"><button>Share</button> Share this story</div>
    <aside>Read more</aside>
    <p class="photo-credit">Photo credit: Someone</p>
    <section id="related-stories"><p>Other story</p></section>
    <footer><p>Copyright notice inside the article.</p></footer>
  </article>
  </main>
  <footer><p>Site footer</p></footer>
</body></html>"#;

    #[test]
    fn metadata_from_the_head() {
        let doc = read_html(PAGE).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Port talks & grain"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("The Harbour Ledger"));
        assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 11, 25));
        assert_eq!(
            doc.meta.url.as_deref(),
            Some("https://example.org/canonical")
        );
        assert_eq!(doc.meta.author.as_deref(), Some("Mara Quill"));
        assert_eq!(doc.meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn article_text_one_paragraph_per_block_without_furniture() {
        let doc = read_html(PAGE).unwrap();
        assert_eq!(
            doc.text,
            "Port talks stall\n“We are close,” the minister said.\nDirect text in a div with bold.\nNested paragraph.\nFirst item\nSecond item\nA quoted block.\nCopyright notice inside the article."
        );
    }

    #[test]
    fn fallbacks_title_tag_then_h1_og_url_time_in_article() {
        let doc = read_html(r#"<html><head><title> A  title </title><meta property="og:url" content="https://example.org/x"></head><body><article><time datetime="2025-03-04">4 March</time><p>Text.</p></article></body></html>"#).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("A title"));
        assert_eq!(doc.meta.url.as_deref(), Some("https://example.org/x"));
        assert_eq!(doc.meta.published, NaiveDate::from_ymd_opt(2025, 3, 4));
        let doc = read_html("<body><h1>Heading one</h1><p>Text.</p></body>").unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Heading one"));
        assert_eq!(doc.meta.outlet, None);
        assert_eq!(doc.meta.published, None);
    }

    #[test]
    fn main_then_body_when_there_is_no_article() {
        let doc = read_html("<body><header>Top</header><main><p>In main.</p></main><p>Outside.</p><footer>F</footer></body>").unwrap();
        assert_eq!(doc.text, "In main.");
        let doc =
            read_html("<body><header>Top</header><p>One.</p>Loose text<footer>F</footer></body>")
                .unwrap();
        assert_eq!(doc.text, "One.\nLoose text");
    }

    #[test]
    fn an_unparsable_meta_date_is_unknown_not_an_error() {
        let doc = read_html(r#"<head><meta property="article:published_time" content="yesterday"></head><body><p>x</p></body>"#).unwrap();
        assert_eq!(doc.meta.published, None);
    }

    #[test]
    fn a_page_without_text_is_an_html_error() {
        let e = read_html("<html><head><title>T</title></head><body><script>x()</script><nav>Menu</nav></body></html>").unwrap_err();
        assert!(matches!(e, ReadError::Html { .. }), "{e:?}");
    }

    #[test]
    fn deeply_nested_divs_do_not_overflow_the_stack() {
        let depth = 100_000;
        let page = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        // A small thread stack makes a recursive walk fail loudly.
        let doc = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || read_html(&page))
            .unwrap()
            .join()
            .expect("no stack overflow")
            .unwrap();
        assert_eq!(doc.text, "deep text");
    }

    #[test]
    fn flattening_keeps_shallow_pages_untouched_and_text_of_deep_ones() {
        let shallow = "<div a='>'><p>x<p>y</div><script>'<div>'</script><!-- <div> -->";
        assert!(matches!(flatten_deep_nesting(shallow, 1), Cow::Borrowed(_)));
        let deep = "<div><section><b>text</b></section></div><div>after</div>";
        assert_eq!(
            flatten_deep_nesting(deep, 2),
            "<div><section>text</section></div><div>after</div>"
        );
        assert_eq!(
            flatten_deep_nesting("<div><div><br/><img src=x>t", 2),
            "<div><div><br/><img src=x>t"
        );
        assert_eq!(
            flatten_deep_nesting("<div><div><div>x</DIV></div></div>", 1),
            "<div>x</div>"
        );
    }
}
