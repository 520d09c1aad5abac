//! Field parsers for the feed files: strict, allocation-free, byte-based.

/// A household id: 1–32 characters of `A-Z a-z 0-9 _ -`.
pub fn valid_household_id(s: &[u8]) -> bool {
    (1..=32).contains(&s.len())
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
}

/// A whole number of plain digits within `min..=max`.
pub fn small_int(s: &[u8], min: u32, max: u32) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = s.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    (min..=max).contains(&n).then_some(n)
}

/// A decimal number ≥ 0 written as digits with an optional fraction (`12`, `0.5`, `3.`).
pub fn non_negative_decimal(s: &[u8]) -> Option<f64> {
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    let dots = s.iter().filter(|b| **b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != s.len() {
        return None;
    }
    if dots == 0 && digits <= 15 {
        // A whole number below 2^53 is exact as a double: the same value parsing would give.
        return Some(s.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64);
    }
    // Only ASCII digits and a dot remain, so this is valid UTF-8 and a valid float literal.
    std::str::from_utf8(s)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// `YYYY-MM-DD` as days since 1970-01-01, for real calendar dates only.
pub fn days_from_date(s: &[u8]) -> Option<i64> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        s[r].iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(days_from_date(b"1970-01-01"), Some(0));
        assert_eq!(days_from_date(b"2024-03-01"), Some(19783));
        assert_eq!(days_from_date(b"2024-02-29"), Some(19782));
        assert_eq!(days_from_date(b"2023-02-29"), None);
        assert_eq!(days_from_date(b"2024-02-30"), None);
        assert_eq!(days_from_date(b"2024-13-01"), None);
        assert_eq!(days_from_date(b"2024-3-01"), None);
        assert_eq!(days_from_date(b"2024/03/01"), None);
    }

    #[test]
    fn values_are_plain_non_negative_decimals() {
        assert_eq!(non_negative_decimal(b"12"), Some(12.0));
        assert_eq!(non_negative_decimal(b"0.5"), Some(0.5));
        assert_eq!(non_negative_decimal(b"-1"), None);
        assert_eq!(non_negative_decimal(b"1e3"), None);
        assert_eq!(non_negative_decimal(b"nan"), None);
        assert_eq!(non_negative_decimal(b"."), None);
        assert_eq!(non_negative_decimal(b""), None);
    }

    #[test]
    fn ids_and_integers() {
        assert!(valid_household_id(b"H-0001_a"));
        assert!(!valid_household_id(b""));
        assert!(!valid_household_id(&[b'a'; 33]));
        assert!(!valid_household_id("가구1".as_bytes()));
        assert_eq!(small_int(b"99", 1, 99), Some(99));
        assert_eq!(small_int(b"0", 1, 99), None);
        assert_eq!(small_int(b"+1", 1, 99), None);
        assert_eq!(small_int(b"131", 0, 130), None);
    }
}
