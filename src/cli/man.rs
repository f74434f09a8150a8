//! `man`: the manual page as roff, from the clap definition. One page holds
//! every command with its synopsis and flags, so `man -l` of it is the whole
//! manual (clap_mangen alone would point at a page per command).

use clap_mangen::Man;
use std::io::Write;

pub fn write(cmd: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = Man::new(sub.clone());
        // A command's synopsis opens its subsection; its flags follow.
        let mut synopsis = Vec::new();
        page.render_synopsis_section(&mut synopsis)?;
        let heading = format!(
            ".SS \"{}\"",
            escape(sub.get_bin_name().unwrap_or(sub.get_name()))
        );
        out.write_all(&demote(&synopsis, &heading))?;
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            writeln!(out, ".PP")?;
            writeln!(out, "{}", escape(&about.to_string()))?;
        }
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            let mut options = Vec::new();
            page.render_options_section(&mut options)?;
            out.write_all(&demote(&options, ".PP"))?;
        }
    }
    man.render_version_section(out)?;
    out.flush()
}

/// A fragment clap_mangen rendered, fit into the one page: its heading
/// (`.SH SYNOPSIS`, `.SH OPTIONS`) replaced by `to` (a subsection named
/// after the command, or a paragraph break), and the string definition
/// every fragment repeats (`.ie \n(.g .ds Aq …`) left to the page's title.
fn demote(roff: &[u8], to: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::new();
    let mut heading = true;
    for l in text.lines() {
        if l.starts_with(".ie \\n(.g .ds Aq") || l.starts_with(".el .ds Aq") {
            continue;
        }
        if heading && l.starts_with(".SH ") {
            heading = false;
            out.push_str(to);
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// Text safe as a roff text line: backslashes doubled, a leading dot or
/// quote (a request) guarded, dashes as plain minus signs.
fn escape(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
