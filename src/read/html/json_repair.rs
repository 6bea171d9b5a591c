//! JSON-LD as pages hand-write it, made into JSON: a trailing comma before `]` or `}` and a
//! `//` or `/* */` comment are the common faults (a CMS template's last item, a line
//! commented out), and strict JSON refuses the whole block for one of them, losing the
//! article's date and publisher with it. Only what sits outside strings is touched, so no
//! value changes; a block still invalid after this is skipped as before.

/// `text` without trailing commas and comments outside strings.
pub(super) fn repaired(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            } else if c == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
                out.push(' ');
            }
            ',' => {
                let next = chars[i + 1..].iter().copied().find(|c| !c.is_whitespace());
                if !matches!(next, Some(']') | Some('}')) {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::repaired;
    use serde_json::{Value, json};

    fn parse(text: &str) -> Value {
        serde_json::from_str(&repaired(text)).expect("valid after repair")
    }

    #[test]
    fn trailing_commas_go() {
        assert_eq!(
            parse(r#"{"keywords": ["a", "b", ], "n": {"x": 1,},}"#),
            json!({"keywords": ["a", "b"], "n": {"x": 1}})
        );
    }

    #[test]
    fn comments_go_and_strings_keep_what_looks_like_them() {
        assert_eq!(
            parse(
                "{ \"@type\": \"Organization\", //\"Person\",\n \"url\": \"https://x.org/a,]\", /* c */ \"q\": \"say \\\"hi\\\", // no\" }"
            ),
            json!({"@type": "Organization", "url": "https://x.org/a,]", "q": "say \"hi\", // no"})
        );
    }

    #[test]
    fn valid_json_is_unchanged() {
        let text = r#"{"a": [1, 2], "b": "c, }"}"#;
        assert_eq!(repaired(text), text);
    }
}
