//! Text made to fit the columns it has: whole, or cut with `…` at its end,
//! so a cut is never taken for the whole.

use ratatui::text::{Line, Span};

/// How many cells `s` takes on a terminal.
pub(super) fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` in `room` columns: whole, or cut with … at its end.
pub(super) fn cut(s: &str, room: usize) -> String {
    if width(s) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if room > 0 {
        out.push('…');
    }
    out
}

/// A line of styled spans in `room` columns: the spans that fit whole,
/// then the one that does not, cut with … (in its own style).
pub(super) fn line(spans: Vec<Span<'static>>, room: usize) -> Line<'static> {
    let mut used = 0;
    let mut out = Vec::new();
    for s in spans {
        let w = s.width();
        if used + w <= room {
            used += w;
            out.push(s);
            continue;
        }
        let left = room - used;
        if left > 0 {
            out.push(Span::styled(cut(&s.content, left), s.style));
        }
        break;
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::{cut, line};
    use ratatui::text::Span;

    #[test]
    fn a_cut_ends_in_an_ellipsis_within_the_room() {
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("日本語", 4), "日…", "wide characters count twice");
        assert_eq!(cut("abc", 0), "");
        let l = line(vec![Span::raw("abc "), Span::raw("defgh")], 6);
        assert_eq!(l.to_string(), "abc d…");
        assert_eq!(line(vec![Span::raw("ab")], 6).to_string(), "ab");
    }
}
