//! Says what a path holds before SQLite sees it: SQLite would hang on a FIFO
//! and give vague errors for DuckDB files, journals or archives.

use crate::store::error::{Result, StoreError};
use std::fs;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

/// The fields of an SQLite header that tell whether the file is whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteHeader {
    pub size: u64,
    pub page_size: u32,
    /// Pages the header claims, when the header says that count is valid.
    pub page_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Missing,
    /// Zero bytes: SQLite treats it as an empty database.
    Empty,
    Sqlite(SqliteHeader),
    TruncatedSqlite(String),
    Directory,
    Fifo,
    Device,
    Socket,
    DuckDb {
        storage_version: u64,
        /// The writer's version text (`v1.4.4`), "unknown" when blank.
        writer: String,
    },
    SqliteWal,
    SqliteJournal,
    Sqlite2,
    Compressed(&'static str),
    Parquet,
    Text,
    Unknown(String),
}

impl Identity {
    /// What the path is, as a phrase ("a folder", "a DuckDB database …").
    pub(crate) fn describe(&self) -> String {
        match self {
            Identity::Missing => "missing".into(),
            Identity::Empty => "an empty file (an empty store)".into(),
            Identity::Sqlite(_) => "an SQLite database".into(),
            Identity::TruncatedSqlite(d) => format!("a truncated SQLite database ({d})"),
            Identity::Directory => "a folder".into(),
            Identity::Fifo => "a FIFO (named pipe)".into(),
            Identity::Device => "a device".into(),
            Identity::Socket => "a socket".into(),
            Identity::DuckDb {
                storage_version,
                writer,
            } if writer == "unknown" => {
                format!("egregora's DuckDB store (storage version {storage_version})")
            }
            Identity::DuckDb {
                storage_version,
                writer,
            } => format!(
                "egregora's DuckDB store (written by DuckDB {}, storage version {storage_version})",
                writer.trim_start_matches('v')
            ),
            Identity::SqliteWal => {
                "an SQLite write-ahead log (-wal file); open the database beside it".into()
            }
            Identity::SqliteJournal => {
                "an SQLite rollback journal (-journal file); open the database beside it".into()
            }
            Identity::Sqlite2 => "an SQLite 2 database (this tool reads SQLite 3)".into(),
            Identity::Compressed(kind) => format!("a {kind} file; decompress it first"),
            Identity::Parquet => "a Parquet file".into(),
            Identity::Text => "a text file".into(),
            Identity::Unknown(start) => format!("not an SQLite database (it starts with {start})"),
        }
    }

    /// Ok when SQLite may open the path for reading.
    pub(crate) fn require_openable(&self, path: &Path) -> Result<()> {
        match self {
            Identity::Sqlite(_) | Identity::Empty => Ok(()),
            Identity::Missing => Err(StoreError::NotFound(path.to_path_buf())),
            Identity::TruncatedSqlite(d) => Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("the file is truncated: {d}"),
            }),
            Identity::DuckDb { .. } => Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                what: format!(
                    "{}; upstream's DuckDB store is never written here (check reads it; import makes a V3 copy)",
                    self.describe()
                ),
            }),
            other => Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                what: other.describe(),
            }),
        }
    }
}

/// Turns what the user typed into the absolute path SQLite gets. SQLite is
/// never handed a URI or its special names.
pub(crate) fn resolve(raw: &std::ffi::OsStr) -> Result<PathBuf> {
    if raw.is_empty() {
        return Err(StoreError::Refused("an empty path is not a store".into()));
    }
    if raw == ":memory:" || raw.as_encoded_bytes().starts_with(b":memory:") {
        return Err(StoreError::Refused(
            "\":memory:\" is an in-memory database, not a store file".into(),
        ));
    }
    std::path::absolute(Path::new(raw)).map_err(|e| StoreError::io("cannot resolve the path", e))
}

pub fn identify(path: &Path) -> Result<Identity> {
    // stat follows symlinks on purpose: a link to a store is a store.
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Identity::Missing),
        Err(e) => return Err(StoreError::io(format!("cannot read {}", path.display()), e)),
    };
    let ft = meta.file_type();
    if ft.is_dir() {
        return Ok(Identity::Directory);
    }
    if ft.is_fifo() {
        return Ok(Identity::Fifo);
    }
    if ft.is_block_device() || ft.is_char_device() {
        return Ok(Identity::Device);
    }
    if ft.is_socket() {
        return Ok(Identity::Socket);
    }
    let size = meta.len();
    if size == 0 {
        return Ok(Identity::Empty);
    }
    let mut head = Vec::with_capacity(512);
    fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|e| StoreError::io(format!("cannot read {}", path.display()), e))?;
    Ok(classify(&head, size, has_wal(path)))
}

fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    fs::metadata(Path::new(&wal))
        .map(|m| m.len() > 0)
        .unwrap_or(false)
}

fn be_u16(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_be_bytes([b[at], b[at + 1]]))
}

fn be_u32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Classifies a file by its first bytes (up to 512) and its size.
pub(crate) fn classify(head: &[u8], size: u64, wal_beside: bool) -> Identity {
    const SQLITE3: &[u8] = b"SQLite format 3\0";
    if head.starts_with(SQLITE3) {
        return sqlite_header(head, size, wal_beside);
    }
    if SQLITE3.starts_with(head) {
        return Identity::TruncatedSqlite(format!("only {size} bytes"));
    }
    if head.len() >= 12 && &head[8..12] == b"DUCK" {
        let storage_version = if head.len() >= 20 {
            u64::from_le_bytes(head[12..20].try_into().unwrap_or([0; 8]))
        } else {
            0
        };
        // The writer's version: NUL-padded text at byte 52.
        let writer: String = head
            .get(52..84)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b != 0)
            .filter(|b| b.is_ascii_graphic())
            .map(|&b| char::from(b))
            .collect();
        return Identity::DuckDb {
            storage_version,
            writer: if writer.is_empty() {
                "unknown".into()
            } else {
                writer
            },
        };
    }
    if head.len() >= 4 {
        let magic = be_u32(head, 0);
        if magic == 0x377f_0682 || magic == 0x377f_0683 {
            return Identity::SqliteWal;
        }
    }
    if head.starts_with(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]) {
        return Identity::SqliteJournal;
    }
    if head.starts_with(b"** This file contains an SQLite 2") {
        return Identity::Sqlite2;
    }
    let compressed: &[(&[u8], &str)] = &[
        (&[0x1f, 0x8b], "gzip"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (&[0x28, 0xb5, 0x2f, 0xfd], "zstd"),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], "xz"),
        (b"BZh", "bzip2"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    ];
    if let Some((_, kind)) = compressed.iter().find(|(m, _)| head.starts_with(m)) {
        return Identity::Compressed(kind);
    }
    if head.starts_with(b"PAR1") {
        return Identity::Parquet;
    }
    if !head.contains(&0) && std::str::from_utf8(trim_partial_utf8(head)).is_ok() {
        return Identity::Text;
    }
    let start: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Identity::Unknown(start.join(" "))
}

/// Drops a UTF-8 sequence cut off by the 512-byte read.
fn trim_partial_utf8(b: &[u8]) -> &[u8] {
    match std::str::from_utf8(b) {
        Err(e) if e.error_len().is_none() => &b[..e.valid_up_to()],
        _ => b,
    }
}

fn sqlite_header(head: &[u8], size: u64, wal_beside: bool) -> Identity {
    if head.len() < 100 || size < 100 {
        return Identity::TruncatedSqlite(format!("only {size} bytes, less than its header"));
    }
    let page_size = match be_u16(head, 16) {
        1 => 65536,
        p if (512..=32768).contains(&p) && p.is_power_of_two() => p,
        p => {
            return Identity::TruncatedSqlite(format!("its header gives an invalid page size {p}"));
        }
    };
    // The page count in the header is valid only when the two change
    // counters agree (SQLite file format, offsets 24 and 92).
    let page_count = (be_u32(head, 24) == be_u32(head, 92))
        .then(|| be_u32(head, 28))
        .filter(|&n| n > 0);
    // With a WAL beside it, newer pages may live in the WAL: no size check.
    if !wal_beside {
        if !size.is_multiple_of(u64::from(page_size)) {
            return Identity::TruncatedSqlite(format!(
                "{size} bytes is not a whole number of {page_size}-byte pages"
            ));
        }
        if let Some(n) = page_count {
            let want = u64::from(n) * u64::from(page_size);
            if size < want {
                return Identity::TruncatedSqlite(format!(
                    "{size} bytes, but its header counts {n} pages ({want} bytes)"
                ));
            }
        }
    }
    Identity::Sqlite(SqliteHeader {
        size,
        page_size,
        page_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_head(page_size: u16, pages: u32) -> Vec<u8> {
        let mut h = vec![0u8; 100];
        h[..16].copy_from_slice(b"SQLite format 3\0");
        h[16..18].copy_from_slice(&page_size.to_be_bytes());
        h[24..28].copy_from_slice(&7u32.to_be_bytes());
        h[28..32].copy_from_slice(&pages.to_be_bytes());
        h[92..96].copy_from_slice(&7u32.to_be_bytes());
        h
    }

    #[test]
    fn whole_and_truncated_sqlite() {
        let h = sqlite_head(4096, 3);
        assert!(matches!(classify(&h, 3 * 4096, false), Identity::Sqlite(_)));
        assert!(matches!(
            classify(&h, 2 * 4096, false),
            Identity::TruncatedSqlite(_)
        ));
        assert!(matches!(classify(&h, 2 * 4096, true), Identity::Sqlite(_)));
        assert!(matches!(
            classify(&h, 3 * 4096 - 10, false),
            Identity::TruncatedSqlite(_)
        ));
        assert!(matches!(
            classify(&h[..50], 50, false),
            Identity::TruncatedSqlite(_)
        ));
        assert!(matches!(
            classify(b"SQLite for", 10, false),
            Identity::TruncatedSqlite(_)
        ));
    }

    #[test]
    fn other_formats_are_named() {
        let mut duck = vec![0u8; 64];
        duck[8..12].copy_from_slice(b"DUCK");
        duck[12..20].copy_from_slice(&64u64.to_le_bytes());
        assert_eq!(
            classify(&duck, 4096, false),
            Identity::DuckDb {
                storage_version: 64,
                writer: "unknown".into()
            }
        );
        let mut duck = vec![0u8; 100];
        duck[8..12].copy_from_slice(b"DUCK");
        duck[12..20].copy_from_slice(&64u64.to_le_bytes());
        duck[52..58].copy_from_slice(b"v1.4.4");
        let id = classify(&duck, 4096, false);
        assert_eq!(
            id.describe(),
            "egregora's DuckDB store (written by DuckDB 1.4.4, storage version 64)"
        );
        assert_eq!(
            classify(&[0x37, 0x7f, 0x06, 0x82, 0, 0], 32, false),
            Identity::SqliteWal
        );
        assert_eq!(
            classify(
                &[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7, 0],
                512,
                false
            ),
            Identity::SqliteJournal
        );
        assert_eq!(
            classify(
                b"** This file contains an SQLite 2.1 database **",
                99,
                false
            ),
            Identity::Sqlite2
        );
        assert_eq!(
            classify(&[0x1f, 0x8b, 8, 0], 40, false),
            Identity::Compressed("gzip")
        );
        assert_eq!(
            classify(&[0x28, 0xb5, 0x2f, 0xfd, 1], 40, false),
            Identity::Compressed("zstd")
        );
        assert_eq!(
            classify(b"PK\x03\x04rest", 40, false),
            Identity::Compressed("zip")
        );
        assert_eq!(
            classify(&[0xfd, b'7', b'z', b'X', b'Z', 0, 1], 40, false),
            Identity::Compressed("xz")
        );
        assert_eq!(classify(b"PAR1\x15\x04", 40, false), Identity::Parquet);
        assert_eq!(
            classify("id,title\n1,héllo\n".as_bytes(), 17, false),
            Identity::Text
        );
        assert!(matches!(
            classify(&[0, 1, 2, 0xff], 4, false),
            Identity::Unknown(_)
        ));
    }

    #[test]
    fn memory_and_empty_paths_are_refused() {
        assert!(resolve(std::ffi::OsStr::new("")).is_err());
        assert!(resolve(std::ffi::OsStr::new(":memory:")).is_err());
        let p = resolve(std::ffi::OsStr::new("file:x.db")).unwrap();
        assert!(p.is_absolute() && p.ends_with("file:x.db"));
    }
}

/// What the path names on disk, as `stat` sees it: a change of device or
/// inode is another file put in its place; of size or mtime, a change of
/// the same file (perhaps not through SQLite).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
}

/// How the file at a path differs from the one read before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    Same,
    /// The same file, written (its size or mtime moved).
    Written,
    /// Another file now stands at the path (moved or copied over it).
    Replaced,
    /// Nothing stands at the path (deleted or moved away).
    Gone,
    /// A file stands at a path that had none.
    Appeared,
}

impl Stamp {
    /// The stamp of the file at `path`, None when nothing is there.
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = fs::metadata(path).ok()?;
        Some(Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
        })
    }

    /// How `now` differs from `before`.
    pub fn change(before: Option<Stamp>, now: Option<Stamp>) -> FileChange {
        match (before, now) {
            (None, None) => FileChange::Same,
            (None, Some(_)) => FileChange::Appeared,
            (Some(_), None) => FileChange::Gone,
            (Some(a), Some(b)) if (a.dev, a.ino) != (b.dev, b.ino) => FileChange::Replaced,
            (Some(a), Some(b)) if a != b => FileChange::Written,
            _ => FileChange::Same,
        }
    }
}
