//! Where the app opens: `--tab`, `--table`, `--sql`, `--search`.

use crate::tui::app::Launch;
use crate::tui::tab::Tab;

/// The tab to open on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TabArg {
    Overview,
    Documents,
    Schema,
    Tables,
    Query,
}

/// Where the app opens, from its flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LaunchArgs {
    /// Open on this tab
    #[arg(long, value_enum)]
    pub tab: Option<TabArg>,
    /// Browse this table or view (the Tables tab)
    #[arg(long, conflicts_with_all = ["tab", "sql", "search"])]
    pub table: Option<String>,
    /// Run this read-only statement (the Query tab)
    #[arg(long, conflicts_with_all = ["tab", "search"])]
    pub sql: Option<String>,
    /// Search the documents for this (the Documents tab)
    #[arg(long, conflicts_with = "tab")]
    pub search: Option<String>,
}

impl LaunchArgs {
    /// The launch asked for, if any.
    pub fn launch(self) -> Option<Launch> {
        let tab = self.tab.map(|t| match t {
            TabArg::Overview => Tab::Overview,
            TabArg::Documents => Tab::Documents,
            TabArg::Schema => Tab::Schema,
            TabArg::Tables => Tab::Tables,
            TabArg::Query => Tab::Query,
        });
        let l = Launch {
            tab,
            table: self.table,
            sql: self.sql,
            search: self.search,
        };
        (l != Launch::default()).then_some(l)
    }
}
