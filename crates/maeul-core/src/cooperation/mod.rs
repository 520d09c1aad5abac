//! 민관협력 — public-private cooperation: the promotion councils of the local governments (and,
//! at the nation, the national public-private council) and the MOUs (업무협약).

pub mod mou;
pub mod promotion_council;

/// A short text as typed: trimmed, 1 to `max` characters, no control characters.
fn line(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    let n = s.chars().count();
    (n > 0 && n <= max && !s.chars().any(char::is_control)).then(|| s.to_owned())
}

/// A long text, trimmed: at most `max` characters, line breaks and tabs allowed.
fn long_text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (s.chars().count() <= max
        && !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
    .then(|| s.to_owned())
}
