//! Free text as typed into the forms: trimmed, bounded, no control characters.

/// A one-line text, trimmed: 1 to `max` characters, no control characters.
pub fn line(s: &str, max: usize) -> Option<String> {
    optional_line(s, max).filter(|s| !s.is_empty())
}

/// A one-line text that may be empty, trimmed: at most `max` characters, no control characters.
pub fn optional_line(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (s.chars().count() <= max && !s.chars().any(char::is_control)).then(|| s.to_owned())
}

/// A long text, trimmed: at most `max` characters, line breaks and tabs allowed.
pub fn long_text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (s.chars().count() <= max
        && !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
    .then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_bounded_and_single() {
        assert_eq!(line("  마을  ", 2).as_deref(), Some("마을"));
        assert_eq!(line("마을회관", 3), None);
        assert_eq!(line("   ", 3), None);
        assert_eq!(optional_line("   ", 3).as_deref(), Some(""));
        assert_eq!(line("a\nb", 10), None);
        assert_eq!(optional_line("a\tb", 10), None);
    }

    #[test]
    fn long_texts_keep_line_breaks_but_no_other_controls() {
        assert_eq!(long_text(" a\r\nb\tc ", 10).as_deref(), Some("a\r\nb\tc"));
        assert_eq!(long_text("", 10).as_deref(), Some(""));
        assert_eq!(long_text("a\u{7}b", 10), None);
        assert_eq!(long_text("가나다", 2), None);
    }
}
