//! The hand-written reader of a page's visible text, kept as the fallback for pages the
//! extraction library finds no article in (a bare fragment, a page of a few words): the text
//! under `<article>`, else `<main>`, else `<body>`, one paragraph per block element, without
//! the elements that are never prose. The walk is a loop, not a recursion, so nothing
//! overflows the stack.

use super::collapse;
use scraper::node::Element;
use scraper::{ElementRef, Html, Selector};

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

/// The visible text of the page's article, main or body element, one line per paragraph.
pub(super) fn page_text(page: &Html) -> String {
    let root = ["article", "main", "body"]
        .iter()
        .find_map(|tag| {
            let selector = Selector::parse(tag).ok()?;
            page.select(&selector).next()
        })
        .unwrap_or_else(|| page.root_element());
    article_text(root, dropped).join("\n")
}

/// Elements that never hold text a reader sees, whatever the page.
const NEVER_TEXT: &[&str] = &["script", "style", "template", "head"];

/// Every text of the page a reader could see, furniture included, one entry per block: what
/// the library's paragraphs are looked up in to recover the page's own spacing.
pub(super) fn all_text(page: &Html) -> Vec<String> {
    article_text(page.root_element(), |el, _| NEVER_TEXT.contains(&el.name()))
}

/// The text under `root`, one entry per paragraph, without what `drop` says to leave out.
fn article_text(
    root: ElementRef<'_>,
    drop: fn(&Element, Option<ElementRef<'_>>) -> bool,
) -> Vec<String> {
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
            if node != top && drop(el, ElementRef::wrap(node)) {
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
    paragraphs
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
