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

/// `2026년 11월 25일` or `25 November 2026`.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}년 {}월 {}일", d.year(), u8::from(d.month()), d.day()),
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn money_and_dates_read_naturally() {
        assert_eq!(won(1_234_000, Lang::Ko), "1,234,000원");
        assert_eq!(won(-5_000, Lang::En), "₩-5,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(date(date!(2026 - 11 - 25), Lang::Ko), "2026년 11월 25일");
        assert_eq!(date(date!(2026 - 11 - 25), Lang::En), "25 November 2026");
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
