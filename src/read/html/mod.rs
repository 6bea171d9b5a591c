//! HTML pages: the article body from an extraction library ([`body`]), the metadata from
//! every place pages put it ([`meta`]), and what is ours around them: nesting bounded before
//! any parser runs ([`nesting`]), one paragraph per line with subheadings kept as their own
//! lines (the extractor's scope rules depend on them), and the headline as the first line
//! (so headline attribution, "... - Bloomberg", still works).

mod body;
mod json_repair;
mod meta;
mod nesting;
mod respace;
mod walk;

pub(crate) use nesting::MAX_DEPTH;

use super::{Document, MAX_META_BYTES, Origin, ReadError};
use scraper::{Html, Selector};
use std::path::Path;

pub(super) fn read(path: &Path, content: &str) -> Result<Document, ReadError> {
    let content = nesting::flatten_deep_nesting(content, MAX_DEPTH);
    let page = Html::parse_document(&content);
    // A page nested deeper than any real one is hostile, not an article: the library's work
    // grows so fast with depth (a table nested 100,000 deep, cut to 512, took minutes) that
    // only the walk, a loop bounded by the page's size, reads it.
    let hostile = matches!(content, std::borrow::Cow::Owned(_));
    let mut text = if hostile {
        String::new()
    } else {
        body::article_text(&content, &page)
    };
    if text.is_empty() {
        // A fragment or a page of a few words, which the library does not take for an
        // article: the visible text is still the author's.
        text = walk::page_text(&page);
    }
    if text.is_empty() {
        return Err(ReadError::Html {
            path: path.to_path_buf(),
            message: "no article text found in the page".into(),
        });
    }
    let meta = meta::read(&page);
    if let Some(headline) = headline(&page)
        && text.lines().next().is_none_or(|first| first != headline)
    {
        text = format!("{headline}\n{text}");
    }
    Ok(Document {
        meta,
        text,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
            feed_entry: None,
        },
    })
}

/// The page's headline as it shows it: the first `<h1>`. Not the `<title>`, whose "| Site"
/// or "- Site" suffix would read as a headline attributed to the site.
fn headline(page: &Html) -> Option<String> {
    let selector = Selector::parse("h1").ok()?;
    page.select(&selector)
        .map(|h| collapse(&h.text().collect::<String>()))
        .find(|h| usable(h))
}

/// A metadata value worth keeping: not empty, and not over [`MAX_META_BYTES`] (a page's
/// head is often machine-filled; an absurd value there is left unknown, not an error).
fn usable(value: &str) -> bool {
    !value.is_empty() && value.len() <= MAX_META_BYTES
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

    fn date_of(page: &str) -> Option<NaiveDate> {
        read_html(page).unwrap().meta.published
    }

    #[test]
    fn a_json_ld_block_with_a_trailing_comma_or_a_comment_still_dates_the_page() {
        let page = r#"<head><script type="application/ld+json">{"@type": "NewsArticle",
            "keywords": ["a", "b", ], //"x": 1,
            "datePublished": "2019-11-18T16:06:51-05:00",}</script></head><body><p>Text.</p></body>"#;
        assert_eq!(date_of(page), NaiveDate::from_ymd_opt(2019, 11, 18));
    }

    #[test]
    fn a_date_tag_written_out_after_a_time_or_a_weekday() {
        let ld = |v: &str| {
            format!(
                r#"<head><script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{v}"}}</script></head><body><p>x</p></body>"#
            )
        };
        assert_eq!(
            date_of(&ld("01:38:07 PM IST Nov 20, 2019")),
            NaiveDate::from_ymd_opt(2019, 11, 20)
        );
        assert_eq!(
            date_of(&ld("Monday, November 18th, 2019")),
            NaiveDate::from_ymd_opt(2019, 11, 18)
        );
        assert_eq!(date_of(&ld("1 day ago")), None);
    }

    #[test]
    fn an_element_the_page_marks_as_its_date() {
        let page = |body: &str| format!("<body><p>Some article text.</p>{body}</body>");
        assert_eq!(
            date_of(&page(
                r#"<div class="article_date">November 20, 2019 - 11:28 AMT</div>"#
            )),
            NaiveDate::from_ymd_opt(2019, 11, 20)
        );
        // The one inside the article wins over one before it.
        assert_eq!(
            date_of(&page(
                r#"<div class="date">1 Jan 2019</div><article><span class="posted-on">19 NOV 2019</span><p>x</p></article>"#
            )),
            NaiveDate::from_ymd_opt(2019, 11, 19)
        );
        // A wrapper marked "date" around the whole story is no date element; the short one
        // inside it is (and the wrapper's text is not read past a date's length).
        let story = "A long paragraph of the story. ".repeat(2_000);
        assert_eq!(
            date_of(&page(&format!(
                r#"<div class="post-date-wrap"><p>{story}</p><span class="date">Nov 20, 2019</span></div>"#
            ))),
            NaiveDate::from_ymd_opt(2019, 11, 20)
        );
        // An update, a sidebar's tweets, a comment's time, a paragraph mentioning a date:
        // none of them is the publication date.
        for furniture in [
            r#"<span class="storyDate">Updated: Sat 8:31 PM, Feb 17, 2018</span>"#,
            r#"<div class="sidebar"><p class="tweet-date">November 20, 2019</p></div>"#,
            r#"<aside><span class="date">November 20, 2019</span></aside>"#,
            r#"<div class="comments"><span class="date">November 20, 2019</span></div>"#,
            r#"<p class="dateline">The council voted on November 20, 2019 to approve the budget after a long debate.</p>"#,
        ] {
            assert_eq!(date_of(&page(furniture)), None, "{furniture}");
        }
    }

    #[test]
    fn the_date_in_the_url_path_is_the_last_resort() {
        let page = |url: &str| {
            format!(r#"<head><link rel="canonical" href="{url}"></head><body><p>x</p></body>"#)
        };
        assert_eq!(
            date_of(&page("https://x.org/statements/2019/nov/18/who/what/")),
            NaiveDate::from_ymd_opt(2019, 11, 18)
        );
        assert_eq!(
            date_of(&page("https://x.org/2019/11/13/world/story.html")),
            NaiveDate::from_ymd_opt(2019, 11, 13)
        );
        for no_date in [
            "https://x.org/story-20191115/",
            "https://x.org/2019/story.html",
            "https://x.org/2019/13/40/story",
            "https://x.org/a?d=2019/11/13/x",
        ] {
            assert_eq!(date_of(&page(no_date)), None, "{no_date}");
        }
        // A date the page states wins over its url's.
        let both = r#"<head><meta property="article:published_time" content="2019-11-19"><link rel="canonical" href="https://x.org/2019/11/13/story"></head><body><p>x</p></body>"#;
        assert_eq!(date_of(both), NaiveDate::from_ymd_opt(2019, 11, 19));
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
}
