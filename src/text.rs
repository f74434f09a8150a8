//! Makes text from a store, a file name or an error safe for a terminal:
//! control characters (C0, DEL, C1), bidi controls and invisible format
//! characters (zero-width spaces and joiners, ...) become visible escapes,
//! so no byte of a document can move the cursor, set a title or reach the
//! clipboard (OSC 52).

use std::borrow::Cow;

/// True for characters that must never reach a terminal as they are.
pub(crate) fn is_hostile(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

/// Text as the editor takes it: line ends made `\n`, a tab four spaces,
/// every other control or invisible character a space (it may be inside a
/// string, where dropping it would change the statement's meaning less).
pub(crate) fn sql_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            '\r' => "\n".to_string(),
            '\t' => "    ".to_string(),
            c if is_hostile(c) => " ".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Text on one line (the prompts other than the SQL editor have one): each newline, tab or other
/// control or bidi character becomes a space; other spacing stays (it may
/// be inside a string).
pub(crate) fn one_line(sql: &str) -> String {
    let plain: String = sql
        .chars()
        .map(|c| if is_hostile(c) { ' ' } else { c })
        .collect();
    plain.trim().to_string()
}

/// Format characters that draw nothing (zero-width spaces and joiners, the
/// word joiner, a BOM, invisible operators, tags) and the line and
/// paragraph separators: text that hides in plain sight.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}'
        | '\u{2060}'..='\u{2064}' | '\u{206A}'..='\u{206F}' | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Bidi embeddings, overrides, isolates and marks: they reorder what follows.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let n = u32::from(c);
    let _ = if n < 0x100 {
        write!(out, "\\x{n:02x}")
    } else {
        write!(out, "\\u{{{n:04x}}}")
    };
}

/// One line: every control character, newlines and tabs included, escaped.
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// Several lines: newlines and tabs kept, every other control escaped.
pub(crate) fn escape_lines(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| c == '\n' || c == '\t')
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hostile(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) && !keep(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_people_read_them() {
        assert_eq!(count(950), "950");
        assert_eq!(count(3 * 1024), "3.0 K");
        assert_eq!(count(256 * 1024), "256 K");
        assert_eq!(count(11_010_048), "10.5 M");
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(
            escape("héllo wörld"),
            Cow::Borrowed("héllo wörld")
        ));
    }

    #[test]
    fn escape_sequences_are_made_visible() {
        assert_eq!(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(escape("\x1b]52;c;aGk=\x07"), "\\x1b]52;c;aGk=\\x07");
        assert_eq!(escape("x\ry"), "x\\x0dy");
        assert_eq!(escape("nul\0"), "nul\\x00");
        assert_eq!(escape("del\x7f"), "del\\x7f");
    }

    #[test]
    fn c1_and_bidi_controls_are_escaped() {
        assert_eq!(escape("a\u{9b}31mb"), "a\\x9b31mb");
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn invisible_format_characters_are_escaped() {
        assert_eq!(escape("pay\u{200b}pal"), "pay\\u{200b}pal");
        assert_eq!(escape("a\u{feff}b\u{2060}c"), "a\\u{feff}b\\u{2060}c");
        assert_eq!(escape("x\u{2028}y"), "x\\u{2028}y");
        assert_eq!(cell("t\u{e0041}"), "t\\u{e0041}");
        assert_eq!(escape("ünïcödé ✓"), "ünïcödé ✓");
    }

    #[test]
    fn lines_keep_newlines_and_tabs_only() {
        assert_eq!(escape_lines("a\n\tb\x1bc"), "a\n\tb\\x1bc");
        assert_eq!(escape("a\nb"), "a\\x0ab");
    }
}

/// A count of characters the way people read it, in steps of 1024 as the
/// cut sizes are: 950, 256 K, 10.5 M.
pub(crate) fn count(n: u64) -> String {
    let k = n as f64 / 1024.0;
    match n {
        0..1024 => n.to_string(),
        1024..10_240 => format!("{k:.1} K"),
        10_240..1_048_576 => format!("{k:.0} K"),
        _ => format!("{:.1} M", k / 1024.0),
    }
}

/// One grid cell: like `escape`, but tabs and newlines become visible
/// markers that keep the row on one line and readable.
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push('⇥'),
            '\n' => out.push('↵'),
            c if is_hostile(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Lines for a detail view: control characters escaped, tabs as spaces.
pub(crate) fn lines(s: &str) -> Vec<String> {
    s.split('\n')
        .map(|l| escape(&l.replace('\t', "    ")).into_owned())
        .collect()
}

#[cfg(test)]
mod grid_tests {
    use super::*;

    #[test]
    fn grid_cells_mark_tabs_and_newlines() {
        assert_eq!(cell("a\tb\nc\x1b[31m"), "a⇥b↵c\\x1b[31m");
        assert_eq!(
            lines("one\ttwo\nthree\u{202e}"),
            ["one    two", "three\\u{202e}"]
        );
    }
}
