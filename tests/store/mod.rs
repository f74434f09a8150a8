//! The store on real files: paging, plans, migrations, changes, the
//! decisions the app asks for, writes that survive kill -9, and the
//! modules' layering.

mod backlinks;
mod change;
mod crash;
mod documents_paging;
mod fold_legacy;
mod hot_journal;
mod init_fresh;
mod layering;
mod migration;
mod query_plans;
mod search_index;
mod small_truths;
mod sorted_list;
mod store_decides;
mod without_rowid;
