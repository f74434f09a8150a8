//! The fold-legacy plan: the V2 tables' rows copied into `documents` with
//! their doc_type, every column kept (in a unified column or in
//! `extensions`, see `store::extensions`), then the V2 objects dropped.

use super::core::{Op, Plan, PlanKind, Step, backup_path};
use crate::store::error::{Result, StoreError};
use crate::store::extensions::{EXTENSION_IS_FN, EXTENSIONS_FN, EXTENSIONS_KEPT_FN};
use crate::store::inspection::catalog::{self, LiveTable, ObjectKind};
use crate::store::inspection::inspect::{Inspection, State};
use crate::store::inspection::rules::missing_sql;
use crate::store::read::sample::{NAME_AT_MOST, Sample};
use crate::store::spec::{Spec, ident, literal, quote};
use rusqlite::Connection;

/// A V2 table to fold: its live shape, its doc_type, its rows.
type Source<'s> = (LiveTable, &'s str, u64);

/// The fold-legacy plan. `keep_tables` leaves the V2 objects in place.
pub(crate) fn plan(conn: &Connection, ins: &Inspection, keep_tables: bool) -> Result<Plan> {
    let spec = Spec::v3();
    let mut plan = Plan::new(PlanKind::FoldLegacy { keep_tables }, &ins.path);
    if let Some(why) = super::core::refuses_newer(ins) {
        plan.blockers.push(why);
        return Ok(plan);
    }
    if !matches!(ins.state, State::Current | State::LegacyPresent) {
        plan.blockers.push(format!(
            "the store is {}, not V3 yet: run init first, then fold-legacy",
            ins.state.label()
        ));
        return Ok(plan);
    }
    let Some(docs) = ins.live(&spec.documents_table) else {
        plan.blockers
            .push("documents is missing: run init first".into());
        return Ok(plan);
    };
    let err = |e| StoreError::sqlite(&ins.path, "cannot plan fold-legacy", e);
    let sources = sources(conn, ins, &mut plan).map_err(err)?;
    let with_rows: Vec<&Source<'_>> = sources.iter().filter(|s| s.2 > 0).collect();
    preflight(conn, &with_rows, &mut plan).map_err(err)?;
    let folded = folded_before(conn, docs, &with_rows, &mut plan).map_err(err)?;
    if !plan.blockers.is_empty() {
        return Ok(plan);
    }
    copies(conn, docs, &with_rows, &folded, &mut plan).map_err(err)?;
    if !keep_tables {
        drops(ins, &sources, &mut plan);
    }
    if plan.steps.is_empty() {
        return Ok(plan);
    }
    if plan.steps.iter().any(|s| matches!(s.op, Op::Drop)) {
        plan.backup = Some(backup_path(conn, &ins.path).map_err(err)?);
        if ins.entries.iter().any(|e| {
            e.kind == ObjectKind::View
                && !spec
                    .legacy_views
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case(&e.name))
        }) {
            plan.notes.push("other views that read the V2 tables will fail once the tables are dropped; --keep-tables keeps them".into());
        }
    }
    plan.notes.push("columns with no place in documents go into extensions as JSON (BLOBs and non-UTF-8 text as {\"$hex\": …})".into());
    Ok(plan)
}

/// The V2 tables present, with their rows; one that is not a table, or has
/// rows but no id, is a blocker.
fn sources(
    conn: &Connection,
    ins: &Inspection,
    plan: &mut Plan,
) -> rusqlite::Result<Vec<Source<'static>>> {
    let mut sources = Vec::new();
    for lt in &Spec::v3().legacy_tables {
        let Some(o) = ins.object(&lt.name) else {
            continue;
        };
        if o.kind != ObjectKind::Table {
            plan.blockers.push(format!(
                "{} is a {}, not a table; fold it by hand",
                o.name, o.kind
            ));
            continue;
        }
        let live = catalog::table(conn, &o.name, o.sql.clone())?;
        let rows: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {}", quote(&live.name)),
            [],
            |r| r.get(0),
        )?;
        if rows > 0 && live.column("id").is_none() {
            plan.blockers.push(format!(
                "{} has no id column: its rows cannot become documents",
                live.name
            ));
            continue;
        }
        sources.push((live, lt.doc_type.as_str(), rows as u64));
    }
    Ok(sources)
}

/// Rows folded before (a run with --keep-tables) are verified, not copied
/// again: how many of each table's rows are there already. An id already
/// there with other values is a blocker.
fn folded_before(
    conn: &Connection,
    docs: &LiveTable,
    with_rows: &[&Source<'_>],
    plan: &mut Plan,
) -> rusqlite::Result<Vec<u64>> {
    let mut folded = Vec::new();
    let mut differ = Sample::default();
    crate::store::extensions::register(conn)?;
    for (live, doc_type, _) in with_rows {
        let (there, other) = already_there(conn, docs, live, doc_type)?;
        folded.push(there);
        differ.extend(other, NAME_AT_MOST);
    }
    if differ.count > 0 {
        plan.blockers.push(format!(
            "{} V2 id(s) are in documents already with other values: {}",
            differ.count,
            differ.listed()
        ));
    }
    Ok(folded)
}

/// The copy of each table's rows not there yet, then the verification of
/// every row and of documents' count.
fn copies(
    conn: &Connection,
    docs: &LiveTable,
    with_rows: &[&Source<'_>],
    folded: &[u64],
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    let before: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {}", quote(&docs.name)),
        [],
        |r| r.get(0),
    )?;
    let mut added = 0u64;
    for ((live, doc_type, rows), there) in with_rows.iter().zip(folded) {
        let missing = rows - there;
        if *there > 0 {
            plan.notes.push(format!(
                "{}: its {} row(s) are in documents already, value for value (folded before): they are verified, not copied",
                live.name,
                if missing == 0 { rows.to_string() } else { format!("{there} of {rows}") },
            ));
        }
        if missing > 0 {
            copy_step(conn, docs, live, doc_type, missing, *there > 0, plan)?;
            added += missing;
        }
    }
    for (live, doc_type, rows) in with_rows {
        verify_step(docs, live, doc_type, *rows, plan);
    }
    if added > 0 {
        let total = before as u64 + added;
        plan.steps.push(Step {
            title: format!("Verify: documents holds {total} row(s) ({before} + {added} folded)"),
            sql: format!("SELECT count(*) FROM {}", quote(&docs.name)),
            op: Op::ExpectRows {
                table: docs.name.clone(),
                rows: total,
            },
        });
    }
    Ok(())
}

/// The drops of `documents_view` and of every V2 table.
fn drops(ins: &Inspection, sources: &[Source<'_>], plan: &mut Plan) {
    for v in &Spec::v3().legacy_views {
        if let Some(o) = ins.object(v) {
            let what = if o.kind == ObjectKind::View {
                "VIEW"
            } else {
                "TABLE"
            };
            plan.steps.push(Step {
                title: format!("Drop the V2 {} {}", o.kind, o.name),
                sql: format!("DROP {what} {}", quote(&o.name)),
                op: Op::Drop,
            });
        }
    }
    for (live, _, _) in sources {
        plan.steps.push(Step {
            title: format!("Drop the V2 table {}", live.name),
            sql: format!("DROP TABLE {}", quote(&live.name)),
            op: Op::Drop,
        });
    }
}

/// How many of `live`'s rows are in `docs` already, value for value, and
/// the ids there with other values.
fn already_there(
    conn: &Connection,
    docs: &LiveTable,
    live: &LiveTable,
    doc_type: &str,
) -> rusqlite::Result<(u64, Sample)> {
    let (l, d) = (quote(&live.name), quote(&docs.name));
    // One pass over the ids first: a table never folded (the usual case)
    // costs no more than that.
    let both: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {l} AS l JOIN {d} AS d ON d.id = l.id"),
        [],
        |r| r.get(0),
    )?;
    if both == 0 {
        return Ok((0, Sample::default()));
    }
    let same = matches(docs, live, doc_type);
    let there: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {l} AS l WHERE EXISTS (SELECT 1 FROM {d} AS d WHERE d.id = l.id AND {same})"),
        [],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT l.id FROM {l} AS l WHERE EXISTS (SELECT 1 FROM {d} AS d WHERE d.id = l.id)
           AND NOT EXISTS (SELECT 1 FROM {d} AS d WHERE d.id = l.id AND {same})"
    ))?;
    let other = Sample::collect(&mut stmt, [], NAME_AT_MOST, |r| {
        Ok(format!(
            "{:?} ({})",
            catalog::lossy(r, 0)?.unwrap_or_default(),
            live.name
        ))
    })?;
    Ok((there as u64, other))
}

/// Ids that are missing or repeated stop the plan before any write.
fn preflight(conn: &Connection, sources: &[&Source<'_>], plan: &mut Plan) -> rusqlite::Result<()> {
    let mut nulls = Vec::new();
    for (live, _, _) in sources {
        let t = quote(&live.name);
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {t} WHERE id IS NULL"),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            nulls.push(format!("{} in {}", n, live.name));
        }
    }
    if !nulls.is_empty() {
        plan.blockers.push(format!(
            "V2 rows with a NULL id cannot become documents: {}",
            nulls.join(", ")
        ));
    }
    if sources.len() > 1 {
        let union: Vec<String> = sources
            .iter()
            .map(|(l, _, _)| {
                format!(
                    "SELECT id, {} AS t FROM {}",
                    literal(&l.name),
                    quote(&l.name)
                )
            })
            .collect();
        let sql = format!(
            "SELECT id, group_concat(t, '+') FROM ({}) WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1",
            union.join(" UNION ALL ")
        );
        let mut stmt = conn.prepare(&sql)?;
        let repeated = Sample::collect(&mut stmt, [], NAME_AT_MOST, |r| {
            Ok(format!(
                "{:?} ({})",
                catalog::lossy(r, 0)?.unwrap_or_default(),
                catalog::lossy(r, 1)?.unwrap_or_default()
            ))
        })?;
        if repeated.count > 0 {
            plan.blockers.push(format!(
                "{} id(s) appear in more than one V2 table: {}",
                repeated.count,
                repeated.listed()
            ));
        }
    }
    Ok(())
}

/// A V2 profile has no title: it gets its alias, as upstream's own profile
/// cache names a profile, so a folded profile keeps the pipeline's rule.
/// The title's expression (columns read with the prefix `p`) for a table of
/// profiles with an alias column, and the rows it gives their alias.
fn profile_title(live: &LiveTable, doc_type: &str, p: &str) -> Option<(String, String)> {
    let rel = &Spec::v3().relations.authors;
    if doc_type != rel.target_doc_type {
        return None;
    }
    let alias = format!("{p}{}", quote(&live.column(&rel.label)?.name));
    let title = live
        .column("title")
        .map_or_else(|| "NULL".into(), |c| format!("{p}{}", quote(&c.name)));
    let given = format!("{} AND NOT {}", missing_sql(&title), missing_sql(&alias));
    Some((
        format!("CASE WHEN {given} THEN {alias} ELSE {title} END"),
        given,
    ))
}

/// How each column of a V2 table lands: (documents column, expression with
/// its columns read with the prefix `p`), and the columns kept in extensions.
fn mapping(
    docs: &LiveTable,
    live: &LiveTable,
    doc_type: &str,
    p: &str,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut direct = Vec::new();
    let mut extra = Vec::new();
    for c in &live.columns {
        let n = c.name.to_ascii_lowercase();
        if n == "doc_type" || n == "extensions" {
            if n == "doc_type" {
                extra.push(c.name.clone());
            }
            continue;
        }
        match docs.column(&c.name) {
            Some(dc) => direct.push((dc.name.clone(), format!("{p}{}", quote(&c.name)))),
            None => extra.push(c.name.clone()),
        }
    }
    if let Some((title, _)) = profile_title(live, doc_type, p) {
        match direct
            .iter_mut()
            .find(|(d, _)| d.eq_ignore_ascii_case("title"))
        {
            Some((_, expr)) => *expr = title,
            None if docs.column("title").is_some() => direct.push(("title".into(), title)),
            None => {}
        }
    }
    direct.push(("doc_type".into(), literal(doc_type)));
    (direct, extra)
}

/// The step that copies `rows` rows of `live`; `skip_there` leaves out the
/// ids `documents` holds already.
fn copy_step(
    conn: &Connection,
    docs: &LiveTable,
    live: &LiveTable,
    doc_type: &str,
    rows: u64,
    skip_there: bool,
    plan: &mut Plan,
) -> rusqlite::Result<()> {
    let (mut direct, extra) = mapping(docs, live, doc_type, "");
    let (t, dq) = (quote(&live.name), quote(&docs.name));
    if let Some((_, given)) = profile_title(live, doc_type, "") {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {t} WHERE {given}"),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            plan.notes.push(format!(
                "{n} profile(s) of {} without a title get their alias as title",
                live.name
            ));
        }
    }
    match direct.iter_mut().find(|(d, _)| d == "status") {
        Some((_, expr)) => {
            let nulls: i64 = conn.query_row(
                &format!("SELECT count(*) FROM {t} WHERE status IS NULL"),
                [],
                |r| r.get(0),
            )?;
            if nulls > 0 {
                plan.notes.push(format!(
                    "{nulls} row(s) of {} with a NULL status get 'draft'",
                    live.name
                ));
            }
            *expr = format!("coalesce({expr}, 'draft')");
        }
        None => {
            plan.notes.push(format!(
                "{} has no status: its {rows} row(s) get 'draft'",
                live.name
            ));
            direct.push(("status".into(), "'draft'".into()));
        }
    }
    let existing = live
        .column("extensions")
        .map(|c| quote(&c.name))
        .unwrap_or_else(|| "NULL".into());
    let mut args = vec![existing];
    for c in &extra {
        args.push(literal(c));
        args.push(quote(c));
    }
    let has_ext = args.len() > 1 || live.column("extensions").is_some();
    let mut targets: Vec<String> = direct.iter().map(|(d, _)| ident(d)).collect();
    let mut exprs: Vec<String> = direct.iter().map(|(_, e)| e.clone()).collect();
    if has_ext {
        targets.push("extensions".into());
        exprs.push(format!("{EXTENSIONS_FN}({})", args.join(", ")));
    }
    let into = if extra.is_empty() {
        String::new()
    } else {
        format!("; {} into extensions", extra.join(", "))
    };
    plan.steps.push(Step {
        title: format!(
            "Copy {rows} row(s) of {} into documents as '{doc_type}'{into}",
            live.name
        ),
        sql: format!(
            "INSERT INTO {dq} ({})\nSELECT {} FROM {t}{}",
            targets.join(", "),
            exprs.join(", "),
            if skip_there {
                format!("\nWHERE NOT EXISTS (SELECT 1 FROM {dq} AS d WHERE d.id = {t}.id)")
            } else {
                String::new()
            },
        ),
        op: Op::Exec,
    });
    Ok(())
}

/// The SQL condition that document `d` holds V2 row `l` value for value.
fn matches(docs: &LiveTable, live: &LiveTable, doc_type: &str) -> String {
    let (direct, extra) = mapping(docs, live, doc_type, "l.");
    let mut conds = vec![format!("d.doc_type = {}", literal(doc_type))];
    for (d, e) in &direct {
        if d == "doc_type" || d == "status" || d == "id" {
            continue;
        }
        let (dc, lc) = (format!("d.{}", quote(d)), e);
        let same = |lc: &str| {
            format!("typeof({dc}) = typeof({lc}) AND CAST({dc} AS BLOB) IS CAST({lc} AS BLOB)")
        };
        // A profile folded before titles came from aliases kept its own
        // title (or none): that is the V2 row too.
        let raw = profile_title(live, doc_type, "l.")
            .filter(|_| d.eq_ignore_ascii_case("title"))
            .map(|_| {
                live.column("title")
                    .map_or_else(|| "NULL".into(), |c| format!("l.{}", quote(&c.name)))
            });
        conds.push(match raw {
            Some(raw) => format!("(({}) OR ({}))", same(lc), same(&raw)),
            None => same(lc),
        });
    }
    if direct.iter().any(|(d, _)| d == "status") {
        conds.push("d.status IS coalesce(l.status, 'draft')".into());
    }
    for c in &extra {
        conds.push(format!(
            "{EXTENSION_IS_FN}(d.extensions, {}, l.{})",
            literal(c),
            quote(c)
        ));
    }
    if let Some(c) = live.column("extensions") {
        conds.push(format!(
            "{EXTENSIONS_KEPT_FN}(d.extensions, l.{})",
            quote(&c.name)
        ));
    }
    conds.join("\n    AND ")
}

fn verify_step(docs: &LiveTable, live: &LiveTable, doc_type: &str, rows: u64, plan: &mut Plan) {
    let sql = format!(
        "SELECT count(*) FROM {} AS l WHERE NOT EXISTS (\n  SELECT 1 FROM {} AS d WHERE d.id = l.id AND {})",
        quote(&live.name),
        quote(&docs.name),
        matches(docs, live, doc_type)
    );
    plan.steps.push(Step {
        title: format!(
            "Verify: each of the {rows} row(s) of {} is found again, value for value",
            live.name
        ),
        sql,
        op: Op::ExpectZero {
            what: format!("row(s) of {} not found again in documents", live.name),
        },
    });
}
