//! The page's own spacing for the library's paragraphs. The extraction library's cleaned HTML
//! loses the space where text meets an inline element on some pages ("against
//! <strong>Mason Rudolph</strong>" comes back as "against<strong>Mason Rudolph</strong> ,"),
//! which glues words into names that are no one's ("againstMason Rudolph") and breaks every
//! sentence match. Each paragraph is looked up in the page's text with all whitespace set aside,
//! and written with the page's own spaces; a paragraph the page does not contain verbatim
//! (the library changed more than spacing) is kept as the library gave it.

/// The page's text without whitespace, and where whitespace stood in it.
pub(super) struct PageText {
    /// Every non-whitespace character of the page's text, in order.
    compact: String,
    /// Byte offsets into `compact` of the characters that had whitespace before them.
    spaced: Vec<usize>,
    /// What the lookups may still scan, in bytes: a bound on the work a page of thousands of
    /// paragraphs not found in it could cost. Past it, paragraphs are kept as given.
    budget: usize,
    /// Where the previous paragraph was found: paragraphs come in the page's order, so the
    /// next one is looked for after it first.
    cursor: usize,
}

/// How many times the page's length the lookups may scan in all.
const SCAN_BUDGET_PAGES: usize = 16;

impl PageText {
    /// The index of `blocks`, the page's texts in document order (a block boundary counts as
    /// whitespace).
    pub(super) fn new<S: AsRef<str>>(blocks: &[S]) -> Self {
        let mut compact = String::new();
        let mut spaced = Vec::new();
        let mut space = false;
        for block in blocks {
            for c in block.as_ref().chars() {
                if c.is_whitespace() {
                    space = true;
                } else {
                    if space && !compact.is_empty() {
                        spaced.push(compact.len());
                    }
                    space = false;
                    compact.push(c);
                }
            }
            space = true;
        }
        let budget = compact.len().saturating_mul(SCAN_BUDGET_PAGES);
        PageText {
            compact,
            spaced,
            budget,
            cursor: 0,
        }
    }

    /// `paragraph` with the page's spacing where the page has it verbatim, else unchanged.
    pub(super) fn respace(&mut self, paragraph: &str) -> String {
        let wanted: String = paragraph.chars().filter(|c| !c.is_whitespace()).collect();
        if wanted.is_empty() {
            return paragraph.to_string();
        }
        let Some(start) = self.find(&wanted) else {
            return paragraph.to_string();
        };
        let end = start + wanted.len();
        let mut out = String::with_capacity(paragraph.len());
        let mut spaces = self.spaced[self.spaced.partition_point(|&at| at <= start)..].iter();
        let mut next_space = spaces.next();
        for (at, c) in self.compact[start..end].char_indices() {
            let at = start + at;
            if next_space == Some(&at) {
                out.push(' ');
                next_space = spaces.next();
            }
            out.push(c);
        }
        self.cursor = end;
        out
    }

    /// Where `wanted` is in the page: after the previous paragraph first, then anywhere;
    /// None once the scan budget is spent.
    fn find(&mut self, wanted: &str) -> Option<usize> {
        for from in [self.cursor, 0] {
            let haystack = &self.compact[from..];
            if self.budget < haystack.len() {
                return None;
            }
            let found = haystack.find(wanted);
            self.budget -= found.map_or(haystack.len(), |at| at + wanted.len());
            if let Some(at) = found {
                return Some(from + at);
            }
            if from == 0 {
                break;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::PageText;

    #[test]
    fn lost_and_added_spaces_come_back_as_the_page_has_them() {
        let mut page = PageText::new(&[
            "Menu",
            "But that was against Mason Rudolph, a below average quarterback.",
            "Next paragraph  with\u{a0}odd   spacing.",
        ]);
        assert_eq!(
            page.respace("But that was againstMason Rudolph , a below average quarterback."),
            "But that was against Mason Rudolph, a below average quarterback."
        );
        assert_eq!(
            page.respace("Next paragraph with odd spacing."),
            "Next paragraph with odd spacing."
        );
    }

    #[test]
    fn a_paragraph_the_page_does_not_hold_is_kept_as_given() {
        let mut page = PageText::new(&["Some page text."]);
        assert_eq!(page.respace("Other words here."), "Other words here.");
        assert_eq!(page.respace("   "), "   ");
    }

    #[test]
    fn paragraphs_out_of_order_and_across_blocks_are_found() {
        let mut page = PageText::new(&["First part", "second part.", "Earlier text."]);
        assert_eq!(page.respace("Earlier text."), "Earlier text.");
        // Found before the cursor, and spanning a block boundary, which reads as a space.
        assert_eq!(
            page.respace("First partsecond part."),
            "First part second part."
        );
    }

    #[test]
    fn the_lookups_stop_when_their_budget_is_spent() {
        let blocks = ["abc ".repeat(10)];
        let mut page = PageText::new(&blocks);
        for _ in 0..100 {
            // Never found: each failed lookup spends the whole page twice.
            assert_eq!(page.respace("zzz"), "zzz");
        }
        assert!(page.budget < page.compact.len());
        // Once spent, even a paragraph the page holds is kept as given.
        assert_eq!(page.respace("abcabc"), "abcabc");
    }
}
