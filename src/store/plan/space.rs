//! The disk space a plan needs beside what its file system has free: a plan
//! that would run out is refused before it writes anything.

use super::core::{Op, Plan, Space};
use rusqlite::Connection;
use std::path::Path;

impl Plan {
    /// Settles the space the plan needs, with or without its backup, and
    /// refuses it (a blocker) when the file system has less free.
    pub fn weigh_space(&mut self, backup: bool) {
        let Some(s) = self.space.as_mut() else { return };
        if !backup {
            s.needed_bytes -= s.backup_bytes;
            s.backup_bytes = 0;
        }
        if s.needed_bytes > s.free_bytes {
            let why = format!(
                "not enough disk space: the plan writes about {} ({}the copied rows), {} is free there; free some space{}",
                human(s.needed_bytes),
                if s.backup_bytes > 0 {
                    "the backup and "
                } else {
                    ""
                },
                human(s.free_bytes),
                if s.backup_bytes > 0 {
                    " or leave out the backup (--no-backup)"
                } else {
                    ""
                }
            );
            self.blockers.push(why);
        }
    }
}

/// The space `plan` needs on `conn`'s store; None when it copies no rows
/// and writes no backup (creating tables and indexes of an empty store).
pub(crate) fn estimate(conn: &Connection, plan: &Plan) -> rusqlite::Result<Option<Space>> {
    let copies = plan.steps.iter().any(|s| {
        matches!(s.op, Op::Copy { .. })
            || (matches!(s.op, Op::Exec) && s.sql.trim_start().starts_with("INSERT"))
    });
    if !copies && plan.backup.is_none() {
        return Ok(None);
    }
    let used: u64 = conn.query_row(
        "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let backup = if plan.backup.is_some() { used } else { 0 };
    let Some(free) = free_bytes(&plan.path) else {
        return Ok(None);
    };
    Ok(Some(Space {
        needed_bytes: backup + if copies { used } else { 0 },
        backup_bytes: backup,
        free_bytes: free,
    }))
}

/// Free bytes for this user on the file system of `path`'s folder.
pub(crate) fn free_bytes(path: &Path) -> Option<u64> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// `n` bytes the way people read them: 1.2 GB, 340 MB, 12 kB.
pub fn human(n: u64) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", units[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::plan::PlanKind;

    fn plan(needed: u64, backup: u64, free: u64) -> Plan {
        let mut p = Plan::new(PlanKind::Init, Path::new("/s"));
        p.space = Some(Space {
            needed_bytes: needed,
            backup_bytes: backup,
            free_bytes: free,
        });
        p
    }

    #[test]
    fn a_plan_short_of_space_is_refused_and_says_how_much() {
        let mut p = plan(4_300_000, 2_150_000, 983_000);
        p.weigh_space(true);
        assert_eq!(p.blockers.len(), 1);
        assert!(p.blockers[0].contains("about 4.3 MB"), "{:?}", p.blockers);
        assert!(
            p.blockers[0].contains("983.0 kB is free"),
            "{:?}",
            p.blockers
        );
        assert!(p.blockers[0].contains("--no-backup"));

        // Without the backup it fits.
        let mut p = plan(4_300_000, 2_150_000, 3_000_000);
        p.weigh_space(false);
        assert!(p.blockers.is_empty(), "{:?}", p.blockers);
        assert_eq!(p.space.map(|s| s.needed_bytes), Some(2_150_000));
        let mut p = plan(4_300_000, 2_150_000, 3_000_000);
        p.weigh_space(true);
        assert_eq!(p.blockers.len(), 1, "with it, it does not");
    }

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(human(999), "999 bytes");
        assert_eq!(human(1_500), "1.5 kB");
        assert_eq!(human(2_200_000_000), "2.2 GB");
    }
}
