//! The command line through the real binary: each command's output, exit
//! codes and refusals, locks waited out, bad input that changes nothing.

mod bad_input;
mod change;
mod check;
mod completions;
mod default_path;
mod diff;
mod export;
mod export_formats;
mod lock_wait;
mod query;
