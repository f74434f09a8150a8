//! The 12-step rebuild of an older `documents`
//! (sqlite.org/lang_altertable.html), as phases: refuse what cannot be
//! rebuilt, check the ids, create the new table, copy (indexes filled during
//! or after), swap the tables, verify.

use super::core::{Op, Plan};
use crate::store::inspection::catalog::{LiveColumn, LiveTable, ObjectKind};
use crate::store::inspection::inspect::Inspection;
use crate::store::read::sample::{NAME_AT_MOST, Sample};
use crate::store::spec::{IndexFill, IndexSpec, TableSpec, ident, literal, quote};
use rusqlite::Connection;

/// Adds the rebuild's steps (or its blockers) to `plan`.
pub(super) fn rebuild_documents(
    conn: &Connection,
    ins: &Inspection,
    t: &TableSpec,
    live: &LiveTable,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    let Some(id) = refusal(live, plan) else {
        return Ok(());
    };
    check_ids(conn, live, id, plan)?;
    if !plan.blockers.is_empty() {
        return Ok(());
    }
    let r = Rebuild {
        conn,
        ins,
        t,
        live,
        old: quote(&live.name),
        temp: free_name(ins, "documents_new"),
        extras: live
            .columns
            .iter()
            .filter(|c| t.column(&c.name).is_none())
            .collect(),
        rows: conn
            .query_row(
                &format!("SELECT count(*) FROM {}", quote(&live.name)),
                [],
                |r| r.get::<_, i64>(0),
            )?
            .try_into()
            .unwrap_or(0),
    };
    r.create(plan);
    r.copy(plan)?;
    r.swap(plan);
    r.notes(plan);
    r.verify(plan)
}

/// The id column, or None with a blocker when the table cannot be rebuilt.
fn refusal<'a>(live: &'a LiveTable, plan: &mut Plan) -> Option<&'a LiveColumn> {
    let Some(id) = live.column("id") else {
        plan.blockers.push(format!(
            "{} has no id column: there is nothing to key the documents on",
            live.name
        ));
        return None;
    };
    if let Some(g) = live.columns.iter().find(|c| c.hidden >= 2) {
        plan.blockers.push(format!(
            "{}.{} is a generated column; rebuild it by hand",
            live.name, g.name
        ));
        return None;
    }
    Some(id)
}

/// Ids must be present and unique before anything is written.
fn check_ids(
    conn: &Connection,
    live: &LiveTable,
    id: &LiveColumn,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    let id_col = quote(&id.name);
    if !id.not_null || id.pk == 0 {
        let mut stmt = conn.prepare(&format!(
            "SELECT rowid FROM {} WHERE {id_col} IS NULL",
            quote(&live.name)
        ))?;
        let nulls = Sample::collect(&mut stmt, [], NAME_AT_MOST, |r| {
            Ok(format!("rowid {}", r.get::<_, i64>(0)?))
        })?;
        if nulls.count > 0 {
            plan.blockers.push(format!(
                "{} document(s) have a NULL id: {}",
                nulls.count,
                nulls.listed()
            ));
        }
    }
    let unique_id = live.indexes.iter().any(|i| {
        i.unique
            && !i.partial
            && i.columns.len() == 1
            && i.columns[0]
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("id"))
    });
    if !unique_id {
        let dups = Sample::duplicates(conn, &live.name, &id_col)?;
        if dups.count > 0 {
            plan.blockers.push(format!(
                "{} id(s) appear more than once: {}",
                dups.count,
                dups.listed()
            ));
        }
    }
    if !plan.blockers.is_empty() {
        blocked_rows(conn, live, &id_col, plan)?;
    }
    Ok(())
}

/// The rows with a NULL or repeated id (a few hundred at most), by rowid.
fn blocked_rows(
    conn: &Connection,
    live: &LiveTable,
    id: &str,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    if live.without_rowid {
        return Ok(());
    }
    let t = quote(&live.name);
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid FROM {t} WHERE {id} IS NULL OR {id} IN
           (SELECT {id} FROM {t} WHERE {id} IS NOT NULL GROUP BY {id} HAVING count(*) > 1)
         ORDER BY rowid LIMIT {BLOCKED_ROWS}"
    ))?;
    plan.blocked_rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

/// A blocked plan lists at most this many of the rows that block it.
const BLOCKED_ROWS: usize = 500;

struct Rebuild<'a> {
    conn: &'a Connection,
    ins: &'a Inspection,
    t: &'a TableSpec,
    live: &'a LiveTable,
    /// The old table, quoted.
    old: String,
    /// The new table's name until the swap.
    temp: String,
    /// Live columns the spec does not have: kept, after the spec's.
    extras: Vec<&'a LiveColumn>,
    rows: u64,
}

impl Rebuild<'_> {
    fn create(&self, plan: &mut Plan) {
        let extra_defs: Vec<String> = self
            .extras
            .iter()
            .map(|c| {
                let mut d = quote(&c.name);
                if !c.decl_type.is_empty() {
                    d.push(' ');
                    d.push_str(&c.decl_type);
                }
                if c.not_null {
                    d.push_str(" NOT NULL");
                }
                if let Some(def) = &c.default {
                    d.push_str(&format!(" DEFAULT ({def})"));
                }
                d
            })
            .collect();
        plan.step(
            format!(
                "Create {} with the {} V3 columns{}",
                self.temp,
                self.t.columns.len(),
                extra_note(self.extras.len())
            ),
            self.t.create_sql(&self.temp, &extra_defs),
            Op::Exec,
        );
    }

    /// The copy's target columns and expressions: every spec column from its
    /// live namesake (NULLs filled where the spec says), then the extras.
    fn mapping(&self, plan: &mut Plan) -> rusqlite::Result<(Vec<String>, Vec<String>)> {
        let mut targets = Vec::new();
        let mut exprs = Vec::new();
        for c in &self.t.columns {
            targets.push(ident(&c.name));
            exprs.push(match (self.live.column(&c.name), &c.fill) {
                (Some(lc), Some(fill)) => {
                    let nulls: i64 = self.conn.query_row(
                        &format!(
                            "SELECT count(*) FROM {} WHERE {} IS NULL",
                            self.old,
                            quote(&lc.name)
                        ),
                        [],
                        |r| r.get(0),
                    )?;
                    if nulls > 0 {
                        plan.notes.push(format!(
                            "{nulls} row(s) with a NULL {} get '{fill}'",
                            c.name
                        ));
                    }
                    format!("coalesce({}, {})", quote(&lc.name), literal(fill))
                }
                (Some(lc), None) => quote(&lc.name),
                (None, Some(fill)) => {
                    plan.notes.push(format!(
                        "{} is missing: all {} row(s) get '{fill}'",
                        c.name, self.rows
                    ));
                    literal(fill)
                }
                (None, None) => "NULL".into(),
            });
        }
        for c in &self.extras {
            targets.push(quote(&c.name));
            exprs.push(quote(&c.name));
        }
        Ok((targets, exprs))
    }

    /// Most spec indexes are filled while the rows go in (see IndexFill), the
    /// rest sorted after the copy. Index names are schema-wide, so the old
    /// ones with those names go first.
    fn copy(&self, plan: &mut Plan) -> rusqlite::Result<()> {
        let (targets, exprs) = self.mapping(plan)?;
        let by_rowid = !self.live.without_rowid;
        let (tcols, ecols) = if by_rowid {
            (
                format!("rowid, {}", targets.join(", ")),
                format!("rowid, {}", exprs.join(", ")),
            )
        } else {
            (targets.join(", "), exprs.join(", "))
        };
        let insert = format!("INSERT INTO {} ({tcols})", ident(&self.temp));
        let select = format!("SELECT {ecols} FROM {}", self.old);
        let spec_index = |n: &str| {
            self.t
                .indexes
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(n))
        };
        for e in self
            .ins
            .entries
            .iter()
            .filter(|e| e.kind == ObjectKind::Index && spec_index(&e.name))
        {
            plan.step(
                format!("Drop the old index {}", e.name),
                format!("DROP INDEX {}", quote(&e.name)),
                Op::Exec,
            );
        }
        let (during, after): (Vec<&IndexSpec>, Vec<&IndexSpec>) = self
            .t
            .indexes
            .iter()
            .partition(|i| i.rebuild == IndexFill::DuringCopy);
        for idx in during {
            plan.step(
                format!("Create index {} on {}", idx.name, self.temp),
                idx.create_sql(&self.temp),
                Op::Exec,
            );
        }
        plan.step(
            format!(
                "Copy {} row(s) into {}{}",
                self.rows,
                self.temp,
                if by_rowid { ", rowids kept" } else { "" }
            ),
            format!("{insert}\n{select}"),
            Op::Copy {
                insert,
                select,
                by_rowid,
                rows: self.rows,
            },
        );
        for idx in after {
            plan.step(
                format!(
                    "Create index {} on {}, sorted from the copied rows",
                    idx.name, self.temp
                ),
                idx.create_sql(&self.temp),
                Op::Exec,
            );
        }
        Ok(())
    }

    /// The old table goes, the new one takes its name; the old table's own
    /// indexes and triggers, which went with it, are recreated.
    fn swap(&self, plan: &mut Plan) {
        let spec_index = |n: &str| {
            self.t
                .indexes
                .iter()
                .any(|i| i.name.eq_ignore_ascii_case(n))
        };
        let kept_indexes: Vec<String> = self
            .live
            .indexes
            .iter()
            .filter(|i| i.origin == "c" && !spec_index(&i.name))
            .filter_map(|i| i.sql.clone())
            .collect();
        let triggers: Vec<String> = self
            .ins
            .entries
            .iter()
            .filter(|e| {
                e.kind == ObjectKind::Trigger && e.table.eq_ignore_ascii_case(&self.live.name)
            })
            .filter_map(|e| e.sql.clone())
            .collect();
        plan.step(
            format!("Drop the old {}", self.live.name),
            format!("DROP TABLE {}", self.old),
            Op::Exec,
        );
        plan.step(
            format!("Rename {} to {}", self.temp, self.t.name),
            format!(
                "ALTER TABLE {} RENAME TO {}",
                ident(&self.temp),
                ident(&self.t.name)
            ),
            Op::Exec,
        );
        for sql in kept_indexes {
            plan.step("Recreate an index of the old table", sql, Op::Exec);
        }
        for sql in triggers {
            plan.step("Recreate a trigger of the old table", sql, Op::Exec);
        }
    }

    /// What the user should know about the rebuilt store.
    fn notes(&self, plan: &mut Plan) {
        plan.notes.push(
            "the old table's pages stay in the file as free space that SQLite reuses; VACUUM returns them to the disk".into(),
        );
        if self.ins.entries.iter().any(|e| e.kind == ObjectKind::View) {
            plan.notes
                .push("views are kept as they are and read the new table".into());
        }
        if let Some(sql) = &self.live.sql {
            let words = keywords(sql);
            let lost: Vec<&str> = ["CHECK", "UNIQUE", "REFERENCES", "COLLATE"]
                .into_iter()
                .filter(|k| words.iter().any(|w| w.eq_ignore_ascii_case(k)))
                .collect();
            if !lost.is_empty() {
                plan.notes.push(format!(
                    "the old table's {} clauses are not carried over: the V3 shape replaces them",
                    lost.join("/")
                ));
            }
        }
    }

    /// Before commit: every row is there, and no foreign key broke.
    fn verify(&self, plan: &mut Plan) -> rusqlite::Result<()> {
        plan.step(
            format!("Verify: {} holds {} row(s)", self.t.name, self.rows),
            format!("SELECT count(*) FROM {}", ident(&self.t.name)),
            Op::ExpectRows {
                table: self.t.name.clone(),
                rows: self.rows,
            },
        );
        let before: i64 =
            self.conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
        let before = u64::try_from(before).unwrap_or(0);
        let title = if before == 0 {
            "Verify: no foreign-key violations".to_string()
        } else {
            format!("Verify: no foreign-key violations beyond the {before} already there")
        };
        plan.step(
            title,
            "PRAGMA foreign_key_check",
            Op::ForeignKeys { before },
        );
        Ok(())
    }
}

fn extra_note(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " and 1 extra column after them".into(),
        n => format!(" and {n} extra columns after them"),
    }
}

/// The first name from `base`, `base_2`, … that the file does not use.
fn free_name(ins: &Inspection, base: &str) -> String {
    let taken = |n: &str| ins.entries.iter().any(|e| e.name.eq_ignore_ascii_case(n));
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// The bare words of `sql`, outside quoted names and strings: a column
/// named `source_checksum` or a default of 'unchecked' is no CHECK clause.
fn keywords(sql: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    for (i, c) in sql.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            words.push(&sql[s..i]);
        }
        quote = match c {
            '\'' | '"' | '`' => Some(c),
            '[' => Some(']'),
            _ => None,
        };
    }
    if let Some(s) = start.filter(|_| quote.is_none()) {
        words.push(&sql[s..]);
    }
    words
}
