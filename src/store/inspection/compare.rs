//! The spec beside the live store, table by table and column by column, with
//! each mark taken from the findings inspection made (never judged again).

use crate::store::inspection::finding::Code;
use crate::store::inspection::inspect::Inspection;
use crate::store::spec::Spec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// As the spec says.
    Same,
    /// There, but not as the spec says.
    Differs,
    /// The spec has it, the store does not.
    Missing,
    /// The store has it, the spec does not (kept on purpose).
    Extra,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// The live table, by its own spelling.
    Table(String),
    /// An object of another kind under the spec table's name.
    Other(String),
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnLine {
    pub mark: Mark,
    pub name: String,
    /// The declaration the spec wants (`TEXT NN PK`); empty for an extra column.
    pub spec: String,
    /// The live declaration, with `@n` when it stands elsewhere; empty when
    /// missing.
    pub live: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLine {
    pub mark: Mark,
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLines {
    pub name: String,
    pub presence: Presence,
    pub columns: Vec<ColumnLine>,
    pub indexes: Vec<IndexLine>,
}

fn decl(decl_type: &str, not_null: bool, pk: bool) -> String {
    let t = if decl_type.is_empty() {
        "(none)"
    } else {
        decl_type
    };
    format!(
        "{t} {}{}",
        if not_null { "NN" } else { "" },
        if pk { " PK" } else { "" }
    )
}

impl Inspection {
    /// The worst mark inspection gave `object` (a `table.column` or an index).
    fn mark_of(&self, object: &str) -> Mark {
        let mut mark = Mark::Same;
        for f in self
            .findings
            .iter()
            .filter(|f| f.object.eq_ignore_ascii_case(object))
        {
            mark = match f.code {
                Code::MissingColumn | Code::MissingIndex => return Mark::Missing,
                Code::ExtraColumn => Mark::Extra,
                Code::TypeMismatch
                | Code::NotNullMismatch
                | Code::MissingPrimaryKey
                | Code::PrimaryKeyDiffers
                | Code::ColumnOrder
                | Code::IndexDiffers => Mark::Differs,
                _ => mark,
            };
        }
        mark
    }

    /// Every spec table beside its live shape, for the Schema tab.
    pub fn side_by_side(&self) -> Vec<TableLines> {
        Spec::v3()
            .tables
            .iter()
            .map(|t| {
                let live = self.live(&t.name);
                let presence = match (live, self.object(&t.name)) {
                    (Some(l), _) => Presence::Table(l.name.clone()),
                    (None, Some(o)) => Presence::Other(o.kind.to_string()),
                    (None, None) => Presence::Missing,
                };
                let mut columns: Vec<ColumnLine> = t
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(pos, c)| {
                        let found = live.and_then(|l| {
                            l.columns
                                .iter()
                                .position(|x| x.name.eq_ignore_ascii_case(&c.name))
                                .map(|i| (i, &l.columns[i]))
                        });
                        let object = format!("{}.{}", t.name, c.name);
                        let (mark, live_txt) = match found {
                            None => (Mark::Missing, String::new()),
                            Some((i, lc)) => {
                                let mut txt = decl(&lc.decl_type, lc.not_null, lc.pk > 0);
                                if i != pos {
                                    txt.push_str(&format!(" @{}", i + 1));
                                }
                                (self.mark_of(&object), txt)
                            }
                        };
                        ColumnLine {
                            mark,
                            name: c.name.clone(),
                            spec: decl(&c.decl_type, c.not_null, c.primary_key),
                            live: live_txt,
                        }
                    })
                    .collect();
                if let Some(l) = live {
                    columns.extend(
                        l.columns
                            .iter()
                            .filter(|lc| t.column(&lc.name).is_none())
                            .map(|lc| ColumnLine {
                                mark: Mark::Extra,
                                name: lc.name.clone(),
                                spec: String::new(),
                                live: lc.decl_type.clone(),
                            }),
                    );
                }
                let indexes = t
                    .indexes
                    .iter()
                    .map(|idx| IndexLine {
                        mark: self.mark_of(&idx.name),
                        name: idx.name.clone(),
                        columns: idx.columns.clone(),
                    })
                    .collect();
                TableLines {
                    name: t.name.clone(),
                    presence,
                    columns,
                    indexes,
                }
            })
            .collect()
    }
}
