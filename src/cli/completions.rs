//! `completions SHELL`: the completion script for every command and flag,
//! made from the same clap definition that parses them, so it cannot drift.

use clap_complete::Shell;
use std::io::Write;

/// Writes `shell`'s completion script for `cmd` to `out`. The script is
/// made whole in memory first: clap_complete panics when a write fails, and
/// a reader that goes away (`| head`) is no reason for a panic.
pub fn write(mut cmd: clap::Command, shell: Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let name = cmd.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name.as_str(), &mut script);
    if shell == Shell::Bash {
        script = bash_arms_fixed(&script, &name);
    }
    out.write_all(&script)?;
    out.flush()
}

/// clap_complete's bash script spells a command's state two ways when the
/// binary's name has a hyphen (clap-rs/clap#6421): the loop sets
/// `egregora__inspect__subcmd__check` while the case arm reads
/// `egregora__subcmd__inspect__subcmd__check`, so no command's flags would
/// ever complete. The arms get the loop's spelling.
fn bash_arms_fixed(script: &[u8], name: &str) -> Vec<u8> {
    const SEP: &str = "__subcmd__";
    let text = String::from_utf8_lossy(script);
    let wrong = format!("{}{SEP}", name.replace('-', SEP));
    let right = format!("{}{SEP}", name.replace('-', "__"));
    if wrong == right {
        return script.to_vec();
    }
    text.replace(&wrong, &right).into_bytes()
}
