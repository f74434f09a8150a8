//! What the SQL editor's Tab offers for the word before the cursor: the
//! store's table and view names, their columns (those of the tables the
//! statement names first), and SQL's keywords and SQLite's common
//! functions. Pure: the catalog is read once with the store's inspection,
//! so an answer never waits on the file.

/// A table or view and its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub columns: Vec<String>,
}

/// The word to replace and what may replace it, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Where the word starts, in bytes of the statement.
    pub start: usize,
    pub word: String,
    pub options: Vec<String>,
}

/// The keywords and functions offered, upper case as SQL is usually written.
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT JOIN",
    "INNER JOIN",
    "CROSS JOIN",
    "ON",
    "USING",
    "AS",
    "AND",
    "OR",
    "NOT",
    "NULL",
    "IS",
    "IN",
    "LIKE",
    "GLOB",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "DISTINCT",
    "UNION",
    "ALL",
    "EXCEPT",
    "INTERSECT",
    "WITH",
    "RECURSIVE",
    "EXISTS",
    "ASC",
    "DESC",
    "COLLATE",
    "NOCASE",
    "CAST",
    "INTEGER",
    "TEXT",
    "REAL",
    "BLOB",
    "EXPLAIN",
    "QUERY PLAN",
    "VALUES",
    "ESCAPE",
    "NULLS FIRST",
    "NULLS LAST",
    "OVER",
    "PARTITION BY",
    "FILTER",
    "count(",
    "sum(",
    "total(",
    "avg(",
    "min(",
    "max(",
    "group_concat(",
    "length(",
    "lower(",
    "upper(",
    "substr(",
    "trim(",
    "replace(",
    "instr(",
    "coalesce(",
    "ifnull(",
    "nullif(",
    "typeof(",
    "date(",
    "datetime(",
    "strftime(",
    "unixepoch(",
    "json(",
    "json_extract(",
    "json_each(",
    "json_array_length(",
    "json_type(",
    "json_valid(",
    "json_group_array(",
    "row_number(",
];

/// Words after which a table name is what comes next.
const BEFORE_TABLE: &[&str] = &["FROM", "JOIN", "INTO", "UPDATE", "TABLE"];

/// What Tab offers at byte `at` of `sql` (an identifier's start through the
/// cursor), or None where there is no word to complete.
pub fn complete(names: &[Named], sql: &str, at: usize) -> Option<Completion> {
    let at = floor_char(sql, at.min(sql.len()));
    let before = &sql[..at];
    // Inside a string or a comment there is nothing to complete.
    if words_end(before) != before.len() {
        return None;
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(at, |(i, _)| i);
    let word = &before[start..];
    if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (qualifier, prefix) = match word.rsplit_once('.') {
        Some((q, p)) => (Some(q), p),
        None => (None, word),
    };
    let mut options: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if starts_with_ci(s, prefix) && !options.iter().any(|o| o == s) {
            options.push(s.to_string());
        }
    };
    if let Some(q) = qualifier {
        // `t.`: the columns of t (or of the table an alias stands for).
        let table = alias_of(names, sql, q).unwrap_or(q);
        let known = names.iter().filter(|n| n.name.eq_ignore_ascii_case(table));
        // An alias not yet defined (its FROM is still to be typed): every
        // table's columns.
        let of: Vec<&Named> = match known.collect::<Vec<_>>() {
            none if none.is_empty() => names.iter().collect(),
            some => some,
        };
        of.iter().flat_map(|n| &n.columns).for_each(|c| add(c));
    } else {
        let named: Vec<&Named> = names.iter().filter(|n| mentions(sql, &n.name)).collect();
        let columns_first = !after_table_word(&before[..start]);
        if columns_first {
            named.iter().flat_map(|n| &n.columns).for_each(|c| add(c));
        }
        names.iter().for_each(|n| add(&n.name));
        if !columns_first {
            named.iter().flat_map(|n| &n.columns).for_each(|c| add(c));
        }
        names.iter().flat_map(|n| &n.columns).for_each(|c| add(c));
        let lower = prefix.chars().all(|c| !c.is_ascii_uppercase());
        for k in KEYWORDS {
            let kw = if lower && !k.ends_with('(') {
                k.to_ascii_lowercase()
            } else {
                k.to_string()
            };
            add(&kw);
        }
    }
    options.retain(|o| o != prefix);
    (!options.is_empty()).then(|| Completion {
        start: start + word.len() - prefix.len(),
        word: prefix.to_string(),
        options,
    })
}

/// The longest start every option shares (compared without case), at least
/// as long as `word`: what one Tab can fill in without choosing.
pub fn common_start(word: &str, options: &[String]) -> String {
    let Some(first) = options.first() else {
        return word.to_string();
    };
    let mut n = first.chars().count();
    for o in &options[1..] {
        n = n.min(
            first
                .chars()
                .zip(o.chars())
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .count(),
        );
    }
    if n <= word.chars().count() {
        return word.to_string();
    }
    first.chars().take(n).collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

fn floor_char(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Where `sql` stops being code: its length, or where an unclosed string
/// or comment begins.
fn words_end(sql: &str) -> usize {
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // The character that ends what starts here, if something does.
        let until = match c {
            '\'' | '"' | '`' => c,
            '-' if chars.peek().is_some_and(|(_, d)| *d == '-') => '\n',
            _ => continue,
        };
        if !chars.by_ref().any(|(_, d)| d == until) {
            return i;
        }
    }
    sql.len()
}

/// The identifiers of `sql`, outside strings and comments.
fn words(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                for (_, d) in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().is_some_and(|(_, d)| *d == '-') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                out.push(&sql[i..end]);
            }
            _ => {}
        }
    }
    out
}

fn mentions(sql: &str, name: &str) -> bool {
    words(sql).iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// The table `alias` stands for: `FROM documents d`, `documents AS d`.
fn alias_of<'a>(names: &'a [Named], sql: &str, alias: &str) -> Option<&'a str> {
    let w = words(sql);
    let table = |t: &str| names.iter().find(|n| n.name.eq_ignore_ascii_case(t));
    let found = w
        .windows(2)
        .find_map(|p| table(p[0]).filter(|_| p[1].eq_ignore_ascii_case(alias)));
    let found = found.or_else(|| {
        w.windows(3).find_map(|p| {
            let aliased = p[1].eq_ignore_ascii_case("AS") && p[2].eq_ignore_ascii_case(alias);
            table(p[0]).filter(|_| aliased)
        })
    });
    found.map(|n| n.name.as_str())
}

fn after_table_word(before: &str) -> bool {
    words(before)
        .last()
        .is_some_and(|w| BEFORE_TABLE.iter().any(|k| k.eq_ignore_ascii_case(w)))
}

#[cfg(test)]
mod tests {
    use super::{Named, common_start, complete};

    fn names() -> Vec<Named> {
        let named = |n: &str, cols: &[&str]| Named {
            name: n.into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
        };
        vec![
            named("documents", &["id", "doc_type", "status", "title"]),
            named("tasks", &["task_id", "status", "error"]),
            named("messages", &["msg_id", "text"]),
        ]
    }

    fn options(sql: &str) -> Vec<String> {
        complete(&names(), sql, sql.len()).map_or(Vec::new(), |c| c.options)
    }

    #[test]
    fn columns_of_the_tables_named_come_first() {
        let got = options("SELECT st FROM tasks");
        assert!(got.is_empty(), "the cursor is at the end: {got:?}");
        let sql = "SELECT e FROM tasks";
        let c = complete(&names(), sql, "SELECT e".len()).unwrap();
        assert_eq!(c.options[0], "error");
        assert_eq!((c.start, c.word.as_str()), (7, "e"));
        let got = options("SELECT * FROM documents WHERE t");
        assert_eq!(got[0], "title", "{got:?}");
        assert!(got.contains(&"tasks".to_string()));
        assert!(
            got.contains(&"task_id".to_string()),
            "other columns come later"
        );
        assert!(
            got.iter().position(|o| o == "tasks") < got.iter().position(|o| o == "task_id"),
            "{got:?}"
        );
    }

    #[test]
    fn after_from_tables_come_first_and_keywords_follow_the_case_typed() {
        assert_eq!(options("SELECT * FROM ta")[0], "tasks");
        let got = options("SELECT * FROM documents gr");
        assert!(got.contains(&"group by".to_string()), "{got:?}");
        let got = options("SEL");
        assert_eq!(got, ["SELECT"]);
        assert!(options("SELECT 12").is_empty(), "no word to complete");
    }

    #[test]
    fn a_qualified_word_offers_the_columns_of_its_table_or_alias() {
        let sql = "SELECT d.st FROM documents d";
        let c = complete(&names(), sql, "SELECT d.st".len()).unwrap();
        assert_eq!(c.options, ["status"]);
        assert_eq!((c.start, c.word.as_str()), (9, "st"));
        assert_eq!(options("SELECT tasks.e"), ["error"]);
        assert_eq!(
            options("SELECT z.ti"),
            ["title"],
            "an alias still to be defined"
        );
        let sql = "SELECT x.m FROM messages AS x";
        let c = complete(&names(), sql, "SELECT x.m".len()).unwrap();
        assert_eq!(c.options, ["msg_id"]);
    }

    #[test]
    fn strings_and_comments_name_no_table() {
        let sql = "SELECT 'messages' -- messages\n, m FROM documents";
        let c = complete(&names(), sql, sql.find(", m").unwrap() + 3).unwrap();
        assert_eq!(
            c.options[0], "messages",
            "no column of messages first: {:?}",
            c.options
        );
        assert_eq!(
            common_start("st", &["status".into(), "STATUS".into()]),
            "status"
        );
        assert_eq!(
            common_start("d", &["doc_type".into(), "documents".into()]),
            "doc"
        );
        assert_eq!(
            common_start("d", &["doc_type".into(), "DISTINCT".into()]),
            "d"
        );
        assert!(options("SELECT * FROM documents WHERE title = 'ti").is_empty());
        assert!(options("SELECT 1 -- see ti").is_empty());
        assert_eq!(options("SELECT 'a' -- x\n, ti")[0], "title");
    }
}
