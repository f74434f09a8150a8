//! The rows the shell prints with `-quote -noheader -separator ,`: each
//! value an SQL literal (`'text'` with `''` for a quote, `NULL`, a number),
//! a row per line (a newline inside quotes is text). The bulk copy reads
//! them: DuckDB formats them for about two thirds of the CPU of JSON lines,
//! and they carry their type (`NULL` is never `'NULL'`, `12` never `'12'`)
//! without a key per value.

use crate::store::duckdb::values::{Bound, unhex};
use memchr::{memchr, memchr2};
use rusqlite::types::ValueRef;

/// The shell's arguments for this format.
pub(crate) const ARGS: [&str; 4] = ["-quote", "-noheader", "-separator", ","];

/// Reads the whole rows at the start of `buf` (a row has one value per
/// entry of `blobs`, true where the column is hex for bytes), appending
/// their values to `out`. Returns the bytes used and the rows read; a row
/// cut by the end of `buf` is left for the next call. A line that is not
/// such a row is an error (what was wrong with it).
pub(crate) fn rows<'a>(
    buf: &'a [u8],
    blobs: &[bool],
    out: &mut Vec<Bound<'a>>,
) -> Result<(usize, usize), String> {
    let (mut used, mut rows) = (0, 0);
    'rows: while used < buf.len() {
        let kept = out.len();
        let mut at = used;
        for (i, &blob) in blobs.iter().enumerate() {
            let Some((value, end)) = value(buf, at, blob)? else {
                out.truncate(kept);
                break 'rows;
            };
            let last = i + 1 == blobs.len();
            match (buf[end], last) {
                (b',', false) | (b'\n', true) => {}
                (b'\n', false) => return Err(format!("a row of {} values", i + 1)),
                _ => return Err(format!("a row of more than {} values", blobs.len())),
            }
            out.push(value);
            at = end + 1;
        }
        used = at;
        rows += 1;
    }
    Ok((used, rows))
}

/// The value at `at` and where its separator is; None when `buf` ends first.
fn value(buf: &[u8], at: usize, blob: bool) -> Result<Option<(Bound<'_>, usize)>, String> {
    if buf.get(at) == Some(&b'\'') {
        return Ok(quoted(buf, at + 1).map(|(text, escaped, end)| {
            let v = match (blob.then(|| unhex(text)).flatten(), escaped) {
                (Some(bytes), _) => Bound::Blob(bytes),
                (None, false) => Bound::Ref(ValueRef::Text(text)),
                // Only text with a quote in it is copied.
                (None, true) => Bound::Text(unquote(text)),
            };
            (v, end)
        }));
    }
    let Some(len) = memchr2(b',', b'\n', buf.get(at..).unwrap_or_default()) else {
        return Ok(None);
    };
    let token = &buf[at..at + len];
    let v = match token {
        b"NULL" => ValueRef::Null,
        b"true" => ValueRef::Integer(1),
        b"false" => ValueRef::Integer(0),
        _ => {
            let s =
                std::str::from_utf8(token).map_err(|_| "a value that is not text".to_string())?;
            // An integer stays exact; anything else must be a number
            // (`1e+20`, `inf`, `nan` as DuckDB prints them).
            match s.parse::<i64>() {
                Ok(i) => ValueRef::Integer(i),
                Err(_) => ValueRef::Real(s.parse::<f64>().map_err(|_| {
                    format!("a value that is neither quoted nor a number: {s:.40}")
                })?),
            }
        }
    };
    Ok(Some((Bound::Ref(v), at + len)))
}

/// The text of a quoted value whose text starts at `from`: the text as
/// printed, whether it holds `''`, and where its separator is.
fn quoted(buf: &[u8], from: usize) -> Option<(&[u8], bool, usize)> {
    let mut p = from;
    let mut escaped = false;
    loop {
        let q = p + memchr(b'\'', buf.get(p..)?)?;
        match buf.get(q + 1)? {
            b'\'' => {
                escaped = true;
                p = q + 2;
            }
            _ => return Some((&buf[from..q], escaped, q + 1)),
        }
    }
}

fn unquote(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(q) = memchr(b'\'', rest) {
        // Each quote in the text was printed twice: keep one.
        out.extend_from_slice(&rest[..=q]);
        rest = rest.get(q + 2..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(buf: &[u8], blobs: &[bool]) -> Result<(usize, usize, Vec<Bound<'static>>), String> {
        let buf: &'static [u8] = Box::leak(buf.to_vec().into_boxed_slice());
        let mut out = Vec::new();
        rows(buf, blobs, &mut out).map(|(used, n)| (used, n, out))
    }

    #[test]
    fn each_value_keeps_its_type_and_text() {
        let line = b"'a''b',NULL,'NULL',12,-3,0.30000000000000004,1e+20,'','x,y\nz','00FF',true\n";
        let blobs = [
            false, false, false, false, false, false, false, false, false, true, false,
        ];
        let (used, n, v) = parse(line, &blobs).unwrap();
        assert_eq!((used, n), (line.len(), 1));
        let got: Vec<ValueRef> = v.iter().map(Bound::value).collect();
        assert_eq!(
            got,
            vec![
                ValueRef::Text(b"a'b"),
                ValueRef::Null,
                ValueRef::Text(b"NULL"),
                ValueRef::Integer(12),
                ValueRef::Integer(-3),
                ValueRef::Real(0.1 + 0.2),
                ValueRef::Real(1e20),
                ValueRef::Text(b""),
                ValueRef::Text(b"x,y\nz"),
                ValueRef::Blob(&[0, 255]),
                ValueRef::Integer(1),
            ]
        );
        assert!(
            matches!(v[2], Bound::Ref(_)),
            "text without a quote is not copied"
        );
    }

    #[test]
    fn a_row_cut_by_the_end_waits_for_the_rest() {
        let two = b"'a',1\n'b''c',2\n";
        for cut in 0..two.len() {
            let (used, n, v) = parse(&two[..cut], &[false, false]).unwrap();
            let whole = if cut == two.len() {
                2
            } else {
                usize::from(cut >= 6)
            };
            assert_eq!((n, v.len()), (whole, 2 * whole), "cut at {cut}");
            assert_eq!(used, [0, 6, 15][whole]);
        }
    }

    #[test]
    fn a_line_of_another_shape_is_refused() {
        assert!(
            parse(b"'a'\n", &[false, false])
                .unwrap_err()
                .contains("of 1 values")
        );
        assert!(
            parse(b"'a',2,3\n", &[false, false])
                .unwrap_err()
                .contains("more than 2")
        );
        assert!(parse(b"'a'x,2\n", &[false, false]).is_err());
        assert!(
            parse(b"abc,2\n", &[false, false])
                .unwrap_err()
                .contains("neither")
        );
    }
}
