//! Rowid tables (`documents`, `tasks`, `messages`: all but WITHOUT ROWID
//! ones) recorded by temp triggers rather than the session extension, whose
//! in-memory record of every changed row outgrows any budget on a large
//! change. A trigger keeps each touched row's first values in a temp table
//! (spilled to a file), and only those of the columns the statements set
//! that really changed: a bit per column says which are kept, the rest are
//! still the row's current values. After the statements the net change of
//! each row is written in the session extension's changeset format, with
//! the table's primary-key columns flagged as it flags them (a table
//! without one gets the rowid as a leftmost key column, as the session's
//! rowid option does), so `sqlite3changeset_apply` and `_invert` read it
//! like the session's own. Rows are matched by primary key, as the session
//! matches them: a row whose key changed, or one REPLACE put in the place
//! of another, is paired with its old self by that key.

use super::places::Places;
use super::wire::Table;
use crate::store::spec::quote;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::io::{self, Write};

/// A table the statements write, with the columns they set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Written {
    /// Lower-cased.
    pub table: String,
    /// Lower-cased, each once.
    pub set: Vec<String>,
}

/// Adds `more` to `into`, a table once, a column once.
pub(crate) fn merge(into: &mut Vec<Written>, more: Vec<Written>) {
    for w in more {
        match into.iter_mut().find(|x| x.table == w.table) {
            Some(x) => {
                for c in w.set {
                    if !x.set.contains(&c) {
                        x.set.push(c);
                    }
                }
            }
            None => into.push(w),
        }
    }
}

/// The temp log of one table.
pub(crate) struct Log {
    pub table: String,
    columns: Vec<String>,
    /// Per column, its place in the primary key (1-based) or 0.
    pk: Vec<u8>,
    /// Per column, whether the statements set it.
    set: Vec<bool>,
    log: String,
}

/// The bit that says column `k`'s first value is kept (the columns past
/// the 62nd share the last bit: all are kept when any changed).
fn bit(k: usize) -> i64 {
    1 << k.min(62)
}

/// A table's name as declared, its columns and their primary-key places.
type Shape = (String, Vec<String>, Vec<u8>);

/// The shape of a rowid table; None for a WITHOUT ROWID or virtual one.
fn shape(conn: &Connection, table: &str) -> rusqlite::Result<Option<Shape>> {
    let name: Option<String> = conn
        .query_row(
            "SELECT name FROM pragma_table_list
             WHERE schema = 'main' AND type = 'table' AND wr = 0 AND name = ?1 COLLATE NOCASE",
            [table],
            |r| r.get(0),
        )
        .optional()?;
    let Some(name) = name else { return Ok(None) };
    let mut stmt = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let mut rows = stmt.query([&name])?;
    let (mut cols, mut pk) = (Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        cols.push(r.get::<_, String>(0)?);
        pk.push(u8::try_from(r.get::<_, i64>(1)?).unwrap_or(u8::MAX));
    }
    Ok((!cols.is_empty()).then_some((name, cols, pk)))
}

/// Starts logging every rowid table of `written`.
pub(crate) fn start(conn: &Connection, written: &[Written]) -> rusqlite::Result<Vec<Log>> {
    let mut logs = Vec::new();
    for w in written {
        let Some((table, columns, pk)) = shape(conn, &w.table)? else {
            continue;
        };
        let set: Vec<bool> = columns
            .iter()
            .map(|c| w.set.iter().any(|s| s.eq_ignore_ascii_case(c)))
            .collect();
        // Only a statement that sets the rowid (or a key, which may be
        // it) moves a row; otherwise an UPDATE keeps only the columns it
        // sets, and its trigger reads no other.
        let moves =
            w.set.iter().any(|s| s == "rowid") || (0..columns.len()).any(|k| pk[k] != 0 && set[k]);
        let l = Log {
            table,
            columns,
            pk,
            set,
            log: format!("egregora_inspect_log_{}", logs.len()),
        };
        conn.execute_batch(&l.triggers(moves))?;
        logs.push(l);
    }
    Ok(logs)
}

fn io_error(e: io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Writes the net change of every logged row to `out`, counted into
/// `tables`, and where the rows of a keyed table stood and stand to `at`
/// (see `places`); then drops the logs.
pub(crate) fn finish(
    conn: &Connection,
    logs: &[Log],
    out: &mut dyn Write,
    at: &mut dyn Write,
    tables: &mut Vec<super::rows::TableCount>,
) -> rusqlite::Result<()> {
    for l in logs {
        let mut t = if l.keyed() {
            Table::new(&l.table, l.pk.clone())
        } else {
            let mut pk = vec![1];
            pk.extend(std::iter::repeat_n(0, l.columns.len()));
            Table::new(&l.table, pk)
        };
        let mut places = Places::new(&l.table, l.pk.iter().filter(|p| **p != 0).count());
        l.in_place(conn, &mut t, out)?;
        l.the_rest(conn, &mut t, out, &mut |was, rid, key| {
            places.at(at, was, rid, key).map_err(io_error)
        })?;
        t.counted(tables);
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS temp.{0}_u; DROP TRIGGER IF EXISTS temp.{0}_d;
             DROP TRIGGER IF EXISTS temp.{0}_i; DROP TRIGGER IF EXISTS temp.{0}_r;
             DROP TABLE IF EXISTS temp.{0}; DROP TABLE IF EXISTS temp.{0}_g;
             DROP TABLE IF EXISTS temp.{0}_c;",
            l.log
        ))?;
    }
    Ok(())
}

/// Told where a row stood (true) or stands: its rowid and key.
type Place<'p> = &'p mut dyn FnMut(bool, ValueRef<'_>, &[ValueRef<'_>]) -> rusqlite::Result<()>;

/// A row's values in the logged table's column order.
type Values<'r> = Vec<ValueRef<'r>>;

/// A row of a table without a key, its rowid first.
fn with_rid<'r>(rid: ValueRef<'r>, v: &[ValueRef<'r>]) -> Values<'r> {
    std::iter::once(rid).chain(v.iter().copied()).collect()
}

impl Log {
    /// The log table and its triggers; with `moves`, an UPDATE that moves
    /// a row to another rowid keeps all its first values.
    fn triggers(&self, moves: bool) -> String {
        let (log, q) = (&self.log, quote(&self.table));
        let cols: Vec<String> = self.columns.iter().map(|c| quote(c)).collect();
        let slots: Vec<String> = (0..cols.len()).map(|k| format!("o{k}")).collect();
        let kept: Vec<usize> = (0..cols.len())
            .filter(|k| moves || self.set_bits() & bit(*k) != 0)
            .collect();
        // A row already logged keeps its first values; what it had not
        // kept yet is still its first value, so it is taken now.
        let merge = |ks: &[usize]| -> String {
            let m: Vec<String> = ks
                .iter()
                .map(|k| {
                    format!(
                        "o{k} = CASE WHEN mask & {} THEN o{k} ELSE excluded.o{k} END",
                        bit(*k)
                    )
                })
                .collect();
            format!(
                "ON CONFLICT (rid) DO UPDATE SET {} mask = mask | excluded.mask",
                m.iter().map(|x| format!("{x}, ")).collect::<String>()
            )
        };
        let into = |ks: &[usize]| -> String {
            let o: Vec<String> = ks.iter().map(|k| format!(", o{k}")).collect();
            format!("INSERT INTO {log} (rid, existed, mask{})", o.concat())
        };
        let all: Vec<usize> = (0..cols.len()).collect();
        let gone = format!(
            "{} VALUES (old.rowid, 1, -1, {}) {}",
            into(&all),
            cols.iter()
                .map(|c| format!("old.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            merge(&all)
        );
        // A set column's value counts as changed unless equal byte for
        // byte and of the same type (the session's view of a change).
        let mut changed: Vec<String> = (0..cols.len())
            .filter(|k| self.set[*k])
            .map(|k| {
                let c = &cols[k];
                format!(
                    "((old.{c} IS NOT new.{c} COLLATE BINARY OR typeof(old.{c}) <> typeof(new.{c})) << {})",
                    k.min(62)
                )
            })
            .collect();
        if changed.is_empty() {
            changed.push("0".into());
        }
        let mut mask = format!("({})", changed.join(" | "));
        if moves {
            mask = format!("CASE WHEN old.rowid IS NOT new.rowid THEN -1 ELSE {mask} END");
        }
        let values: Vec<String> = kept
            .iter()
            .map(|k| format!(", CASE WHEN m & {} THEN old.{} END", bit(*k), cols[*k]))
            .collect();
        let updated = format!(
            "{} SELECT old.rowid, 1, m{} FROM (SELECT {mask} AS m) WHERE m <> 0 {}",
            into(&kept),
            values.concat(),
            merge(&kept)
        );
        let born =
            format!("INSERT OR IGNORE INTO {log} (rid, existed, mask) VALUES (new.rowid, 0, 0)");
        let moved = if moves {
            format!(
                "CREATE TEMP TRIGGER {log}_r AFTER UPDATE ON main.{q}
                 WHEN new.rowid IS NOT old.rowid BEGIN {born}; END;"
            )
        } else {
            String::new()
        };
        format!(
            "CREATE TEMP TABLE {log} (rid INTEGER PRIMARY KEY, existed INTEGER NOT NULL,
               mask INTEGER NOT NULL, {});
             CREATE TEMP TRIGGER {log}_u AFTER UPDATE ON main.{q} BEGIN {updated}; END;
             CREATE TEMP TRIGGER {log}_d BEFORE DELETE ON main.{q} BEGIN {gone}; END;
             CREATE TEMP TRIGGER {log}_i AFTER INSERT ON main.{q} BEGIN {born}; END;
             {moved}",
            slots.join(", ")
        )
    }

    /// The bits an UPDATE that moves no row may set.
    fn set_bits(&self) -> i64 {
        (0..self.set.len())
            .filter(|k| self.set[*k])
            .fold(0, |m, k| m | bit(k))
    }

    fn keyed(&self) -> bool {
        self.pk.iter().any(|p| *p != 0)
    }

    /// The bits of the primary-key columns.
    fn pk_bits(&self) -> i64 {
        (0..self.pk.len())
            .filter(|k| self.pk[*k] != 0)
            .fold(0, |m, k| m | bit(k))
    }

    fn key<'r>(&self, v: &[ValueRef<'r>]) -> Vec<ValueRef<'r>> {
        (0..self.pk.len())
            .filter(|k| self.pk[*k] != 0)
            .map(|k| v[k])
            .collect()
    }

    /// Whether a row whose key went may be paired with one whose key came
    /// (a key changed, or REPLACE); when not, each is a plain DELETE or
    /// INSERT and nothing need be kept for the pairing.
    fn may_pair(&self, conn: &Connection) -> rusqlite::Result<bool> {
        if !self.keyed() {
            return Ok(false);
        }
        let p = self.pk_bits();
        conn.query_row(
            &format!(
                "SELECT coalesce(max(l.existed = 1 AND (t.rowid IS NULL OR l.mask & {p} <> 0))
                   AND max(t.rowid IS NOT NULL AND (l.existed = 0 OR l.mask & {p} <> 0)), 0)
                 FROM temp.{} l LEFT JOIN main.{} t ON t.rowid = l.rid
                 WHERE l.existed = 0 OR l.mask & {p} <> 0",
                self.log,
                quote(&self.table)
            ),
            [],
            |r| r.get(0),
        )
    }

    /// The rows updated where they stand, their key as it was: only the
    /// columns set and the key are read, of the log and of the table.
    fn in_place(
        &self,
        conn: &Connection,
        t: &mut Table,
        out: &mut dyn Write,
    ) -> rusqlite::Result<()> {
        let bits = self.set_bits();
        let cols: Vec<usize> = (0..self.columns.len())
            .filter(|k| self.pk[*k] != 0 || bits & bit(*k) != 0)
            .collect();
        let olds: Vec<String> = cols.iter().map(|k| format!(", l.o{k}")).collect();
        let news: Vec<String> = cols
            .iter()
            .map(|k| format!(", t.{}", quote(&self.columns[*k])))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT l.rid, l.mask{}{} FROM temp.{} l CROSS JOIN main.{} t ON t.rowid = l.rid
             WHERE {} ORDER BY l.rid",
            olds.concat(),
            news.concat(),
            self.log,
            quote(&self.table),
            self.stood()
        ))?;
        let n = cols.len();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mask: i64 = r.get(1)?;
            let new: Values = (0..n)
                .map(|i| r.get_ref(2 + n + i))
                .collect::<rusqlite::Result<_>>()?;
            let old: Values = (0..n)
                .map(|i| {
                    r.get_ref(if mask & bit(cols[i]) != 0 {
                        2 + i
                    } else {
                        2 + n + i
                    })
                })
                .collect::<rusqlite::Result<_>>()?;
            // The session keeps no row with a NULL in its key.
            let null_key = (0..n).any(|i| self.pk[cols[i]] != 0 && old[i] == ValueRef::Null);
            if !null_key {
                self.update(t, out, r.get_ref(0)?, &cols, &old, &new, mask)?;
            }
        }
        Ok(())
    }

    /// Which logged rows `in_place` takes: there before and now, neither
    /// moved nor with a key that may have changed.
    fn stood(&self) -> String {
        format!(
            "l.existed = 1 AND l.mask <> -1 AND l.mask & {} = 0",
            self.pk_bits()
        )
    }

    /// Every other logged row: inserted, deleted, moved, its key changed;
    /// `place` hears where such a row of a keyed table stood (true) and
    /// stands, by rowid.
    fn the_rest(
        &self,
        conn: &Connection,
        t: &mut Table,
        out: &mut dyn Write,
        place: Place<'_>,
    ) -> rusqlite::Result<()> {
        let n = self.columns.len();
        let pair = self.may_pair(conn)?;
        if pair {
            let slots: Vec<String> = (0..n).map(|k| format!("v{k}")).collect();
            let key: Vec<String> = (0..n)
                .filter(|k| self.pk[*k] != 0)
                .map(|k| format!("v{k}"))
                .collect();
            conn.execute_batch(&format!(
                "CREATE TEMP TABLE {0}_g ({1}); CREATE TEMP TABLE {0}_c ({1});
                 CREATE INDEX temp.{0}_gk ON {0}_g ({2}); CREATE INDEX temp.{0}_ck ON {0}_c ({2});",
                self.log,
                slots.join(", "),
                key.join(", ")
            ))?;
        }
        let olds: Vec<String> = (0..n).map(|k| format!("l.o{k}")).collect();
        let news: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("t.{}", quote(c)))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT l.rid, l.existed, l.mask, t.rowid IS NOT NULL, {}, {} FROM temp.{} l
             LEFT JOIN main.{} t ON t.rowid = l.rid WHERE NOT ({} AND t.rowid IS NOT NULL)
             ORDER BY l.rid",
            olds.join(", "),
            news.join(", "),
            self.log,
            quote(&self.table),
            self.stood()
        ))?;
        let mut gone = pair
            .then(|| conn.prepare(&self.insert_into("g")))
            .transpose()?;
        let mut came = pair
            .then(|| conn.prepare(&self.insert_into("c")))
            .transpose()?;
        let all: Vec<usize> = (0..n).collect();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (existed, mask, present) = (
                r.get::<_, bool>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, bool>(3)?,
            );
            let new: Values = (0..n)
                .map(|k| r.get_ref(4 + n + k))
                .collect::<rusqlite::Result<_>>()?;
            // Where no bit is set the first value is the current one.
            let old: Values = (0..n)
                .map(|k| r.get_ref(if mask & bit(k) != 0 { 4 + k } else { 4 + n + k }))
                .collect::<rusqlite::Result<_>>()?;
            if !self.keyed() {
                let rid = r.get_ref(0)?;
                match (existed, present) {
                    (true, true) => self.update(t, out, rid, &all, &old, &new, mask)?,
                    (true, false) => t.delete(out, &with_rid(rid, &old)).map_err(io_error)?,
                    (false, true) => t.insert(out, &with_rid(rid, &new)).map_err(io_error)?,
                    (false, false) => {}
                }
                continue;
            }
            let (was, is) = (self.key(&old), self.key(&new));
            if existed && present && was == is {
                // The session keeps no row with a NULL in its key.
                if !was.contains(&ValueRef::Null) {
                    self.update(t, out, ValueRef::Null, &all, &old, &new, mask)?;
                }
                continue;
            }
            if existed && !was.contains(&ValueRef::Null) {
                place(true, r.get_ref(0)?, &was)?;
                match gone.as_mut() {
                    Some(g) => {
                        g.execute(params_from_iter(
                            old.iter().map(|v| ToSqlOutput::Borrowed(*v)),
                        ))?;
                    }
                    None => t.delete(out, &old).map_err(io_error)?,
                }
            }
            if present && !is.contains(&ValueRef::Null) {
                place(false, r.get_ref(0)?, &is)?;
                match came.as_mut() {
                    Some(c) => {
                        c.execute(params_from_iter(
                            new.iter().map(|v| ToSqlOutput::Borrowed(*v)),
                        ))?;
                    }
                    None => t.insert(out, &new).map_err(io_error)?,
                }
            }
        }
        drop(rows);
        if pair {
            self.pairs(conn, t, out)?;
        }
        Ok(())
    }

    fn insert_into(&self, side: &str) -> String {
        let marks: Vec<&str> = vec!["?"; self.columns.len()];
        format!(
            "INSERT INTO temp.{}_{side} VALUES ({})",
            self.log,
            marks.join(", ")
        )
    }

    /// An UPDATE of the columns `cols` (their values in `old` and `new`)
    /// whose first and current values differ, of those whose bit is set;
    /// the rest undefined. By `rid` for a table without a key.
    #[allow(clippy::too_many_arguments)]
    fn update(
        &self,
        t: &mut Table,
        out: &mut dyn Write,
        rid: ValueRef<'_>,
        cols: &[usize],
        old: &[ValueRef<'_>],
        new: &[ValueRef<'_>],
        mask: i64,
    ) -> rusqlite::Result<()> {
        let lead = usize::from(!self.keyed());
        let width = self.columns.len() + lead;
        let mut before: Vec<Option<ValueRef<'_>>> = vec![None; width];
        let mut after: Vec<Option<ValueRef<'_>>> = vec![None; width];
        if lead == 1 {
            before[0] = Some(rid);
        }
        let mut any = false;
        for (i, k) in cols.iter().enumerate() {
            if self.pk[*k] != 0 {
                before[lead + k] = Some(old[i]);
            } else if mask & bit(*k) != 0 && old[i] != new[i] {
                any = true;
                before[lead + k] = Some(old[i]);
                after[lead + k] = Some(new[i]);
            }
        }
        if any {
            t.update(out, &before, &after).map_err(io_error)?;
        }
        Ok(())
    }

    /// The rows whose key went paired with those whose key came, by key.
    fn pairs(&self, conn: &Connection, t: &mut Table, out: &mut dyn Write) -> rusqlite::Result<()> {
        let n = self.columns.len();
        let on: Vec<String> = (0..n)
            .filter(|k| self.pk[*k] != 0)
            .map(|k| format!("g.v{k} = c.v{k}"))
            .collect();
        let on = on.join(" AND ");
        let gs: Vec<String> = (0..n).map(|k| format!("g.v{k}")).collect();
        let cs: Vec<String> = (0..n).map(|k| format!("c.v{k}")).collect();
        let nulls = vec!["NULL"; n].join(", ");
        let all: Vec<usize> = (0..n).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT 1, c.rowid IS NOT NULL, {g}, {c} FROM temp.{l}_g g LEFT JOIN temp.{l}_c c ON {on}
             UNION ALL
             SELECT 0, 1, {nulls}, {c} FROM temp.{l}_c c
             WHERE NOT EXISTS (SELECT 1 FROM temp.{l}_g g WHERE {on})",
            g = gs.join(", "),
            c = cs.join(", "),
            l = self.log,
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (went, came) = (r.get::<_, bool>(0)?, r.get::<_, bool>(1)?);
            let at = |from: usize| -> rusqlite::Result<Values<'_>> {
                (0..n).map(|k| r.get_ref(from + k)).collect()
            };
            match (went, came) {
                (true, true) => {
                    self.update(t, out, ValueRef::Null, &all, &at(2)?, &at(2 + n)?, -1)?
                }
                (true, false) => t.delete(out, &at(2)?).map_err(io_error)?,
                _ => t.insert(out, &at(2 + n)?).map_err(io_error)?,
            }
        }
        Ok(())
    }
}
