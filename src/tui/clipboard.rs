//! Puts bytes on the clipboard. Inside tmux through tmux itself (`tmux
//! load-buffer -w -`: tmux's buffer, and the outer terminal's clipboard
//! where tmux may set it), since tmux by default ignores an application's
//! own OSC 52; elsewhere as OSC 52 (crossterm's), base64, so nothing in the
//! value reaches the terminal as anything but data.

use crossterm::Command as _;
use crossterm::clipboard::CopyToClipboard;
use std::io::Write;
use std::process::{Command, Stdio};

/// Copies `bytes`; says how it went.
pub(crate) fn copy(bytes: &[u8]) -> Result<&'static str, String> {
    if std::env::var_os("TMUX").is_some() {
        // `-w` (tmux 3.2+) also sets the outer terminal's clipboard.
        return tmux(&["load-buffer", "-w", "-"], bytes)
            .or_else(|_| tmux(&["load-buffer", "-"], bytes))
            .map(|()| "tmux buffer");
    }
    osc52(bytes)
        .map(|()| "OSC 52")
        .map_err(|e| format!("cannot write to the terminal: {e}"))
}

fn tmux(args: &[&str], bytes: &[u8]) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(bytes)
            .map_err(|e| format!("cannot write to tmux: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("tmux: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "tmux: {}",
            crate::text::escape(String::from_utf8_lossy(&out.stderr).trim())
        ))
    }
}

/// The OSC 52 sequence that sets the clipboard to `bytes`.
pub(crate) fn osc52_sequence(bytes: &[u8]) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = CopyToClipboard::to_clipboard_from(bytes).write_ansi(&mut s);
    s
}

fn osc52(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(osc52_sequence(bytes).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::osc52_sequence;

    #[test]
    fn osc52_carries_the_value_as_base64_only() {
        let s = osc52_sequence(b"a\x1b]0;evil\x07b");
        assert_eq!(s, "\x1b]52;c;YRtdMDtldmlsB2I=\x1b\\");
        // The value's own escape sequence is not in what is written: only
        // the sequence's start and its terminator.
        assert_eq!(s.matches('\x1b').count(), 2);
    }
}
