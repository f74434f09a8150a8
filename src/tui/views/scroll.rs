//! How far a page of lines scrolls.

/// The last scroll position of `lines` lines shown `height` at a time.
pub(super) fn scroll_end(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_sub(height as usize)).unwrap_or(u16::MAX)
}
