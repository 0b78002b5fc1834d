//! Table layout and cell text of the reference pages
//! (`model-docs-format.md`, sections 3 and 4.6).

use serde_json::Value;

/// Longest cell, in code points, that counts for a table's width `W`.
/// A longer cell (a giant example: real specs hold examples of 300,000
/// characters) is written in full without padding, like a cell that
/// escaping made longer than `W`; counting it would pad every cell of the
/// table to its length. Widths up to 5,112 are seen on upstream pages, so
/// every table of that format keeps its layout (`docs/page-format.md`).
pub const MAX_PADDED_CELL: usize = 8_192;

/// Lays out a table: every cell padded to one width `W`, the longest raw
/// cell measured in code points (a newline and a `|` count as one), then
/// `|` escaped as `\|` and newlines written as `<br/>`. No trailing newline.
/// A `\r\n` or lone `\r` is a newline too (Markdown ends a line there, so
/// left raw it would cut the row). Cells longer than [`MAX_PADDED_CELL`]
/// do not count for `W`.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| unify_line_breaks(c)).collect())
        .collect();
    let header: Vec<String> = header.iter().map(|h| unify_line_breaks(h)).collect();
    let width = header
        .iter()
        .chain(rows.iter().flatten())
        .map(|c| c.chars().count())
        .filter(|&n| n <= MAX_PADDED_CELL)
        .max()
        .unwrap_or(0);
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let mut out = String::from("|");
        for cell in cells {
            out.push(' ');
            out.push_str(&cell);
            // By hand: `format!("{c:<width$}")` panics past 65,535.
            let len = cell.chars().count();
            out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
            out.push_str(" |");
        }
        out
    };
    let mut out = Vec::with_capacity(rows.len() + 2);
    out.push(line(&mut header.iter().map(|h| escape(h))));
    out.push(line(&mut header.iter().map(|_| "-".repeat(width))));
    for row in rows {
        out.push(line(&mut row.iter().map(|c| escape(c))));
    }
    out.join("\n")
}

/// `\r\n` and lone `\r` as `\n`.
fn unify_line_breaks(cell: &str) -> String {
    if cell.contains('\r') {
        cell.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        cell.to_string()
    }
}

/// Cell escaping: `|` → `\|`, newline → `<br/>`; nothing else changes.
pub fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', "<br/>")
}

/// The Example cell text of a value (before cell escaping).
///
/// Strings are written bare, numbers as Go's `%v` prints them, objects and
/// arrays as Go's `json.MarshalIndent(v, "", "")`. `null` is written `null`
/// (the upstream generator's `<nil>` is a Go artefact we do not copy).
pub fn example_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => go_float_g(f),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Array(_) | Value::Object(_) => {
            let mut out = String::new();
            go_json(value, &mut out);
            out
        }
    }
}

/// Shortest digits and decimal exponent of a finite float: `(digits, exp)`
/// with the value `0.d1d2… × 10^(exp+1)`, i.e. `exp` as in `d.ddd e exp`.
fn shortest(f: f64) -> (String, i32) {
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// `d.ddde±XX` from shortest digits.
fn exponent_form(f: f64) -> String {
    let (digits, exp) = shortest(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let (first, rest) = digits.split_at(1.min(digits.len()));
    let mantissa = if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first}.{rest}")
    };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{mantissa}e{exp_sign}{:02}", exp.abs())
}

/// Go's `%v` for a float64: shortest digits, exponent form when the
/// decimal exponent is < -4 or >= 6 (`strconv.FormatFloat(f, 'g', -1, 64)`).
pub fn go_float_g(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    let (_, exp) = shortest(f);
    if !(-4..6).contains(&exp) {
        return exponent_form(f);
    }
    format!("{f}")
}

/// Go's `encoding/json` float: plain digits for 1e-6 <= |f| < 1e21, else
/// exponent form with the exponent's leading zero dropped (`1e-7`).
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let s = exponent_form(f);
    match s.split_once("e-0") {
        Some((m, e)) => format!("{m}e-{e}"),
        None => s.replace("e+0", "e+"),
    }
}

/// Go's JSON string quoting, HTML-safe (`<`, `>`, `&` as `\u003c` …).
fn go_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `json.MarshalIndent(v, "", "")`: one member per line, no indentation.
fn go_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&go_json_float(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => go_quote(s, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                go_json(item, out);
            }
            out.push_str("\n]");
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                go_quote(key, out);
                out.push_str(": ");
                go_json(item, out);
            }
            out.push_str("\n}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_float_g(2.0), "2");
        assert_eq!(go_float_g(0.5), "0.5");
        assert_eq!(go_float_g(825764603119.0), "8.25764603119e+11");
        assert_eq!(go_float_g(100000.0), "100000");
        assert_eq!(go_float_g(1000000.0), "1e+06");
        assert_eq!(go_float_g(0.0001), "0.0001");
        assert_eq!(go_float_g(0.00001), "1e-05");
        assert_eq!(go_float_g(-1.5), "-1.5");
    }

    #[test]
    fn json_floats_print_like_go() {
        assert_eq!(go_json_float(-1489.47), "-1489.47");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e-7), "1e-7");
    }

    #[test]
    fn objects_print_like_marshal_indent() {
        let v = json!({"host": "a<b", "ports": [1, 2], "empty": {}, "none": []});
        assert_eq!(
            example_text(&v),
            "{\n\"host\": \"a\\u003cb\",\n\"ports\": [\n1,\n2\n],\n\"empty\": {},\n\"none\": []\n}"
        );
    }

    #[test]
    fn table_pads_to_the_widest_raw_cell() {
        let t = table(&["A", "B"], &[vec!["x|y".to_string(), "1\n2".to_string()]]);
        assert_eq!(t, "| A   | B   |\n| --- | --- |\n| x\\|y | 1<br/>2 |");
    }

    #[test]
    fn giant_cells_are_not_padded_and_do_not_widen_the_table() {
        let giant = "g".repeat(70_000);
        let t = table(&["A", "B"], &[vec!["xy".to_string(), giant.clone()]]);
        assert_eq!(t, format!("| A  | B  |\n| -- | -- |\n| xy | {giant} |"));
        let edge = "e".repeat(MAX_PADDED_CELL);
        let t = table(&["A"], &[vec![edge.clone()], vec!["y".to_string()]]);
        let last = t.lines().last().unwrap_or_default();
        assert_eq!(last.chars().count(), MAX_PADDED_CELL + 4, "{last}");
    }
}
