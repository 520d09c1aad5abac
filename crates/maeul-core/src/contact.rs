//! How officials and experts are reached: office telephone numbers and e-mail addresses as
//! the directories accept them.

/// An office address: one `@`, a local part of letters, digits and `._%+-`, a host of dot-separated
/// labels of letters, digits and `-`. Nothing else, so that it is safe in a `mailto:` link.
pub fn is_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else {
        return false;
    };
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let labels: Vec<&str> = host.split('.').collect();
    let host_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    user_ok && host_ok
}

/// A telephone number: 7 to 20 characters of digits, spaces, `-`, `(`, `)` and `+`, at least
/// seven of them digits.
pub fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&s.chars().count())
        && digits >= 7
        && s.chars().all(|c| c.is_ascii_digit() || " -()+".contains(c))
}
