//! Numbers, dates and money the way Korean (and English) readers expect them.

use time::{Date, OffsetDateTime, UtcOffset};

/// The language of a page or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().get(..2) {
            Some("ko") => Some(Lang::Ko),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }
}

/// Korea Standard Time: the wall clock of every user.
pub const KST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234000` → `1,234,000원` (Korean) or `₩1,234,000` (English).
pub fn won(amount: i64, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}원", thousands(amount)),
        Lang::En => format!("₩{}", thousands(amount)),
    }
}

/// An amount the way Korean notices write large sums: `14억원`, `2억 5,000만원`,
/// `6,000만원`; English readers get [`won`].
pub fn won_short(amount: i64, lang: Lang) -> String {
    if lang == Lang::En || amount < 10_000 || amount % 10_000 != 0 {
        return won(amount, lang);
    }
    let sign = if amount < 0 { "-" } else { "" };
    let man = amount.unsigned_abs() / 10_000;
    let parts: Vec<String> = [
        (man / 100_000_000, "조"),
        (man / 10_000 % 10_000, "억"),
        (man % 10_000, "만"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, unit)| format!("{}{unit}", thousands(n as i64)))
    .collect();
    format!("{sign}{}원", parts.join(" "))
}

/// A sum of won as notices and spreadsheets write it: `1400000000`, `1,400,000,000`,
/// `14억원`, `2억 5천만원`, `6,000만원`, `1조`. None for anything else.
pub fn parse_won(s: &str) -> Option<i64> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let s = s.strip_suffix('원').unwrap_or(&s);
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    // Big units split the text; inside each part 천/백/십 multiply the digits before them.
    let mut total: i64 = 0;
    let mut part: i64 = 0;
    let mut digits = String::new();
    let mut seen_unit = false;
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '천' | '백' | '십' => {
                let n: i64 = if digits.is_empty() {
                    1
                } else {
                    digits.parse().ok()?
                };
                let m = match c {
                    '천' => 1_000,
                    '백' => 100,
                    _ => 10,
                };
                part = part.checked_add(n.checked_mul(m)?)?;
                digits.clear();
            }
            '조' | '억' | '만' => {
                if !digits.is_empty() {
                    part = part.checked_add(digits.parse().ok()?)?;
                    digits.clear();
                }
                if part == 0 {
                    return None;
                }
                let m: i64 = match c {
                    '조' => 1_000_000_000_000,
                    '억' => 100_000_000,
                    _ => 10_000,
                };
                total = total.checked_add(part.checked_mul(m)?)?;
                part = 0;
                seen_unit = true;
            }
            _ => return None,
        }
    }
    if !digits.is_empty() {
        part = part.checked_add(digits.parse().ok()?)?;
    }
    if !seen_unit && part == 0 {
        return None;
    }
    total.checked_add(part)
}

/// `2026년 11월 25일` or `25 November 2026`.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}년 {}월 {}일", d.year(), u8::from(d.month()), d.day()),
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
    }
}

/// A day with its weekday, as a calendar shows it: `11월 27일 (금)` or `Fri 27 November`.
pub fn day_of_week(d: Date, lang: Lang) -> String {
    const KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
    let n = usize::from(d.weekday().number_days_from_monday());
    match lang {
        Lang::Ko => format!("{}월 {}일 ({})", u8::from(d.month()), d.day(), KO[n]),
        Lang::En => {
            let name = d.weekday().to_string();
            format!("{} {} {}", &name[..3], d.day(), d.month())
        }
    }
}

/// A moment in KST: `2026년 11월 25일 14:05` or `25 November 2026 14:05`.
pub fn datetime(t: OffsetDateTime, lang: Lang) -> String {
    let t = t.to_offset(KST);
    format!("{} {:02}:{:02}", date(t.date(), lang), t.hour(), t.minute())
}

/// A day as people type it: `2026-11-25`, or `2026.11.25` / `2026. 11. 25.` as Korean
/// documents and spreadsheets write it.
pub fn parse_day(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s
        .trim()
        .trim_end_matches('.')
        .split(['-', '.'])
        .map(str::trim)
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// A time of day as a time input sends it: `14:00` (two digits each).
pub fn parse_clock(s: &str) -> Option<time::Time> {
    let (h, m) = s.split_once(':')?;
    let two_digits = |x: &str| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

/// A time of day as written: `14:05`.
pub fn clock(t: time::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_are_read_as_sent() {
        use time::macros::time;
        assert_eq!(parse_clock("14:00"), Some(time!(14:00)));
        assert_eq!(parse_clock("09:30"), Some(time!(9:30)));
        for bad in [
            "", "24:00", "14", "14:0", "9:30", " 14:00", "14:60", "a:00", "14:00:00", "+1:00",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(clock(time!(9:05)), "09:05");
    }
    use time::macros::{date, datetime};

    #[test]
    fn sums_read_and_print_in_korean_units() {
        assert_eq!(parse_won("14억원"), Some(1_400_000_000));
        assert_eq!(parse_won("1,400,000,000"), Some(1_400_000_000));
        assert_eq!(parse_won("2억 5천만원"), Some(250_000_000));
        assert_eq!(parse_won("6,000만원"), Some(60_000_000));
        assert_eq!(parse_won("1조"), Some(1_000_000_000_000));
        assert_eq!(parse_won("5천원"), Some(5_000));
        for bad in [
            "",
            "원",
            "억원",
            "열네억",
            "14억원쯤",
            "99999999999999999999조",
        ] {
            assert_eq!(parse_won(bad), None, "{bad}");
        }
        assert_eq!(won_short(1_400_000_000, Lang::Ko), "14억원");
        assert_eq!(won_short(250_000_000, Lang::Ko), "2억 5,000만원");
        assert_eq!(won_short(60_000_000, Lang::Ko), "6,000만원");
        assert_eq!(won_short(1_234, Lang::Ko), "1,234원");
        assert_eq!(won_short(1_400_000_000, Lang::En), "₩1,400,000,000");
        for n in [1_400_000_000, 250_000_000, 60_000_000, 3_000_000_000_000] {
            assert_eq!(parse_won(&won_short(n, Lang::Ko)), Some(n));
        }
    }

    #[test]
    fn money_and_dates_read_naturally() {
        assert_eq!(won(1_234_000, Lang::Ko), "1,234,000원");
        assert_eq!(won(-5_000, Lang::En), "₩-5,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(date(date!(2026 - 11 - 25), Lang::Ko), "2026년 11월 25일");
        assert_eq!(date(date!(2026 - 11 - 25), Lang::En), "25 November 2026");
        assert_eq!(
            day_of_week(date!(2026 - 11 - 27), Lang::Ko),
            "11월 27일 (금)"
        );
        assert_eq!(
            day_of_week(date!(2026 - 11 - 29), Lang::Ko),
            "11월 29일 (일)"
        );
        assert_eq!(
            day_of_week(date!(2026 - 11 - 23), Lang::En),
            "Mon 23 November"
        );
        assert_eq!(
            datetime(datetime!(2026-11-25 05:05 UTC), Lang::Ko),
            "2026년 11월 25일 14:05"
        );
    }

    #[test]
    fn days_parse_as_people_type_them() {
        for s in ["2019-04-01", "2019.04.01", "2019. 4. 1.", " 2019-4-1 "] {
            assert_eq!(parse_day(s), Some(date!(2019 - 04 - 01)), "{s}");
        }
        for s in ["2019-02-30", "19-04-01", "2019/04/01", "2019-04", ""] {
            assert_eq!(parse_day(s), None, "{s}");
        }
    }

    #[test]
    fn languages_parse_from_tags() {
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("ko"), Some(Lang::Ko));
        assert_eq!(Lang::parse("fr"), None);
    }
}
