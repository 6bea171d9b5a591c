//! Hostile nesting, bounded before any parser sees the page: tags nested deeper than
//! [`MAX_DEPTH`] are dropped from the source, their text kept. html5ever's scope checks walk
//! the whole stack of open elements, so 100,000 nested `<div>`s would take minutes, and the
//! extraction library walks trees recursively.

use std::borrow::Cow;

/// How deep elements may nest before their tags are dropped (their text is kept). Real
/// article pages stay well under a hundred; browsers stop laying out at 512.
pub(crate) const MAX_DEPTH: usize = 512;

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

/// The page with every start and end tag nested deeper than `max` removed, text kept.
/// Borrowed unchanged when nothing is that deep (every real page).
///
/// A light tag scanner, not a parser: it skips comments, doctypes and raw-text elements
/// (`<script>` and the like, which may contain `<div` in strings) and respects quoted
/// attribute values; it only has to count nesting well enough to bound the parser's work.
pub(super) fn flatten_deep_nesting(html: &str, max: usize) -> Cow<'_, str> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
