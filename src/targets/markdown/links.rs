//! Links in text copied from the spec (descriptions) that no page of ours
//! can resolve (`docs/page-format.md`, "Links"). Descriptions are written
//! for the vendor's own site: `[guide](/docs/guide)` means a page there. On
//! our pages such a link is dead, so every inline link and image
//! (`[text](dest)`, `![alt](src)`) is looked at:
//!
//! - an absolute URL (`https:`, `mailto:`, any scheme) is kept;
//! - a protocol-relative one (`//host/x`) gets `https:`;
//! - a root-relative one (`/docs/guide`) is prefixed with the link base
//!   (`[docs] link-base`), or without one written as plain text;
//! - any other relative link (`guide.md`, `../x`, `#anchor`) is kept only
//!   when it names one of our pages (`pet.md`, `pet.md#x`), else written as
//!   plain text.
//!
//! Plain text keeps the words (the link text, an image's alt text) and
//! drops the target. Code spans and fenced code are left as they are.

use std::collections::{BTreeMap, BTreeSet};

/// How links in spec text are treated on one set of pages.
#[derive(Debug, Clone, Copy)]
pub struct LinkRules<'a> {
    /// What root-relative links are prefixed with, without a trailing `/`.
    pub base: Option<&'a str>,
    /// File names of the pages (`pet.md`), the links that may stay relative.
    pub pages: &'a BTreeSet<String>,
}

/// Whether `url` may be a link base: `scheme://host…`, no spaces.
pub fn is_link_base(url: &str) -> bool {
    scheme_len(url).is_some_and(|n| {
        url.get(n..).is_some_and(|rest| {
            rest.strip_prefix("//")
                .is_some_and(|host| !host.is_empty() && !host.starts_with('/'))
        })
    }) && !url.chars().any(char::is_whitespace)
}

impl LinkRules<'_> {
    /// `text` with every link that would be dead rewritten or made plain.
    pub fn apply(&self, text: &str) -> String {
        rewrite(text, &|dest| self.target(dest))
    }

    /// What a link to `dest` becomes: `Some(new target)` or `None` (plain text).
    fn target(&self, dest: &str) -> Option<String> {
        if scheme_len(dest).is_some() {
            return Some(dest.to_string());
        }
        if dest.starts_with("//") {
            return Some(format!("https:{dest}"));
        }
        if dest.starts_with('/') {
            return self
                .base
                .map(|base| format!("{}{dest}", base.trim_end_matches('/')));
        }
        let file = dest.split(['#', '?']).next().unwrap_or_default();
        let ours = !file.contains(['/', '\\']) && self.pages.contains(file);
        ours.then(|| dest.to_string())
    }
}

/// `text` with every link made plain text (the index's one-line summaries:
/// cut after a number of characters, a link could be cut in two).
pub fn plain(text: &str) -> String {
    rewrite(text, &|_| None)
}

/// Keeps `text` from forming links (example cells: data, not Markdown):
/// `](` becomes `]\(`, which reads the same.
pub fn no_links(text: &str) -> String {
    text.replace("](", "]\\(")
}

/// Length of `scheme:` at the start of `s` (RFC 3986: a letter, then
/// letters, digits, `+`, `-`, `.`), if any.
fn scheme_len(s: &str) -> Option<usize> {
    let colon = s.find(':')?;
    let scheme = s.get(..colon)?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(colon + 1)
}

/// Longest link target (and title) taken as one, in bytes: a longer one is
/// text. Keeps the work linear on hostile input (`[a](xxx…` repeated).
const MAX_TARGET: usize = 4_096;

/// `text` with each link's target handed to `decide`: `Some(target)` keeps
/// the link (with that target), `None` leaves only its words.
///
/// Two passes, both linear: the first finds code spans (skipped) and pairs
/// the unescaped brackets; the second looks for `(target)` after each
/// pair's `]` and records the edits, which never overlap.
fn rewrite(text: &str, decide: &dyn Fn(&str) -> Option<String>) -> String {
    if !text.contains("](") {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let pairs = bracket_pairs(bytes);
    // (start, end, replacement) in `text`.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // The `](target)` parts of the links found so far that may still hold
    // a later pair's `[` (brackets inside a target are no link).
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for pair in pairs {
        while targets.last().is_some_and(|&(_, end)| end <= pair.open) {
            targets.pop();
        }
        if targets
            .iter()
            .any(|&(start, end)| start <= pair.open && pair.open < end)
        {
            continue;
        }
        let Some(link) = parse_target(text, pair.close) else {
            continue;
        };
        targets.push((pair.close, link.end));
        match decide(&link.dest) {
            Some(target) if target == link.dest => {}
            Some(target) => edits.push((link.dest_start, link.dest_end, target)),
            None => {
                let start = if pair.image { pair.open - 1 } else { pair.open };
                edits.push((start, pair.open + 1, String::new()));
                edits.push((pair.close, link.end, String::new()));
            }
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// A `[` and the `]` that closes it.
struct Pair {
    open: usize,
    close: usize,
    /// Whether an unescaped `!` comes just before the `[`.
    image: bool,
}

/// The bracket pairs outside code spans, by their `[`'s offset. A
/// backslash escapes the next character; a code span (a run of backticks
/// up to the next run of as many) is skipped whole.
fn bracket_pairs(bytes: &[u8]) -> Vec<Pair> {
    // Offsets of the backtick runs of each length, ascending.
    let mut runs: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut i = 0;
    while i < bytes.len() {
        let len = run_len(bytes, i);
        if len > 0 {
            runs.entry(len).or_default().push(i);
            i += len;
        } else {
            i += 1;
        }
    }
    let mut pairs = Vec::new();
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'`' => {
                let len = run_len(bytes, i);
                let closing = runs.get(&len).and_then(|at| {
                    let next = at.partition_point(|&p| p <= i);
                    at.get(next).copied()
                });
                i = closing.map_or(i + len, |c| c + len);
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                open.push((i + 1, true));
                i += 2;
            }
            b'[' => {
                open.push((i, false));
                i += 1;
            }
            b']' => {
                if let Some((at, image)) = open.pop() {
                    pairs.push(Pair {
                        open: at,
                        close: i,
                        image,
                    });
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    pairs.sort_by_key(|p| p.open);
    pairs
}

/// Length of the run of backticks at `i`.
fn run_len(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'`').count())
}

/// The `(target "title")` after a link text.
struct Target {
    /// The target, as written (without `<>`).
    dest: String,
    /// Where the target starts and ends (inside the `<>` when angled).
    dest_start: usize,
    dest_end: usize,
    /// Just after the closing `)`.
    end: usize,
}

/// Parses `(target "title")` right after the `]` at `close` (CommonMark's
/// inline link, without entity handling): `None` when there is none.
fn parse_target(text: &str, close: usize) -> Option<Target> {
    let bytes = text.as_bytes();
    if bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let start = skip_space(bytes, close + 2);
    let limit = start + MAX_TARGET;
    let (dest_start, dest_end, after);
    if bytes.get(start) == Some(&b'<') {
        dest_start = start + 1;
        let mut i = dest_start;
        loop {
            match bytes.get(i)? {
                b'>' => break,
                b'\n' | b'<' => return None,
                b'\\' => i += 2,
                _ => i += 1,
            }
            if i > limit {
                return None;
            }
        }
        dest_end = i;
        after = i + 1;
    } else {
        dest_start = start;
        let mut i = start;
        let mut parens = 0usize;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 1,
                b'(' => parens += 1,
                b')' if parens == 0 => break,
                b')' => parens -= 1,
                b if b <= b' ' => break,
                _ => {}
            }
            i += 1;
            if i > limit {
                return None;
            }
        }
        dest_end = i.min(text.len());
        after = dest_end;
    }
    let mut i = skip_space(bytes, after);
    if let Some(&quote) = bytes.get(i).filter(|b| matches!(b, b'"' | b'\'' | b'(')) {
        if i == after {
            return None; // a title must be apart from the target
        }
        let closing = if quote == b'(' { b')' } else { quote };
        let title_limit = i + MAX_TARGET;
        let mut j = i + 1;
        loop {
            match bytes.get(j)? {
                b'\\' => j += 2,
                &b if b == closing => break,
                _ => j += 1,
            }
            if j > title_limit {
                return None;
            }
        }
        i = skip_space(bytes, j + 1);
    }
    if bytes.get(i) != Some(&b')') {
        return None;
    }
    Some(Target {
        dest: text.get(dest_start..dest_end)?.to_string(),
        dest_start,
        dest_end,
        end: i + 1,
    })
}

/// The first offset from `i` that is not a space, tab or line break.
fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n'))
    {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules<'a>(base: Option<&'a str>, pages: &'a BTreeSet<String>) -> LinkRules<'a> {
        LinkRules { base, pages }
    }

    #[test]
    fn root_relative_links_take_the_base_or_become_words() {
        let pages = BTreeSet::from(["pet.md".to_string()]);
        let text = "See [the guide](/docs/guide#x \"Guide\") and ![logo](/img/a.png).";
        assert_eq!(
            rules(Some("https://example.com/"), &pages).apply(text),
            "See [the guide](https://example.com/docs/guide#x \"Guide\") and ![logo](https://example.com/img/a.png)."
        );
        assert_eq!(rules(None, &pages).apply(text), "See the guide and logo.");
    }

    #[test]
    fn other_links_stay_only_when_they_resolve() {
        let pages = BTreeSet::from(["pet.md".to_string()]);
        let r = rules(Some("https://example.com"), &pages);
        assert_eq!(
            r.apply("[a](https://x.org/a_(b)) [m](mailto:a@b.c)"),
            "[a](https://x.org/a_(b)) [m](mailto:a@b.c)"
        );
        assert_eq!(
            r.apply("[p](pet.md#top) [q](pet.md)"),
            "[p](pet.md#top) [q](pet.md)"
        );
        assert_eq!(
            r.apply("[g](guide.md), [u](../up), [a](#anchor), [s](sub/pet.md), [e]()"),
            "g, u, a, s, e"
        );
        assert_eq!(
            r.apply("[h](//cdn.example.com/x)"),
            "[h](https://cdn.example.com/x)"
        );
        assert_eq!(r.apply("[a b](<my page.md>)"), "a b");
        assert_eq!(r.apply("[a b](</x y>)"), "[a b](<https://example.com/x y>)");
    }

    #[test]
    fn nested_code_and_escapes_are_respected() {
        let pages = BTreeSet::new();
        let r = rules(None, &pages);
        assert_eq!(r.apply("[![badge](/b.svg)](/x)"), "badge");
        assert_eq!(
            r.apply("`[a](/b)` and ``x`[c](/d)`` [e](/f)"),
            "`[a](/b)` and ``x`[c](/d)`` e"
        );
        assert_eq!(r.apply("\\[a](/b) [c\\]](/d)"), "\\[a](/b) c\\]");
        assert_eq!(
            r.apply("```\n[a](/b)\n```\n[c](/d)"),
            "```\n[a](/b)\n```\nc"
        );
        assert_eq!(
            r.apply("[a] (/b) [c](/d \"t\"x) [unclosed](/e"),
            "[a] (/b) [c](/d \"t\"x) [unclosed](/e"
        );
        assert_eq!(r.apply("é [ü](/ö) ñ"), "é ü ñ");
        assert_eq!(plain("[a](https://x.org) [b](pet.md)"), "a b");
        assert_eq!(no_links("[a](/b)"), "[a]\\(/b)");
    }

    #[test]
    fn link_bases_are_absolute() {
        assert!(is_link_base("https://example.com"));
        assert!(is_link_base("http://localhost:8080/docs/"));
        assert!(!is_link_base("example.com"));
        assert!(!is_link_base("/docs"));
        assert!(!is_link_base("https:///x"));
        assert!(!is_link_base("https://a b"));
    }
}
