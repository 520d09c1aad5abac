//! 교육 — courses for officials and residents run by a place, a local government, a si/do or
//! the ministry: their sessions, who enrolled and how long each attended, and who completed
//! them. The 주민자치학교 (autonomy school) of an eup/myeon/dong is such a course: its hours make
//! a resident eligible for the council's member lottery.

use serde::{Deserialize, Serialize};
use time::Date;

/// Longest title or name, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest description, in characters.
pub const MAX_TEXT: usize = 5_000;
/// Most hours a course may ask for completion.
pub const MAX_REQUIRED_HOURS: u32 = 200;
/// Longest session, in minutes (a full day).
pub const MAX_SESSION_MINUTES: u32 = 600;

/// Who a course is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 공무원 — officials.
    Officials,
    /// 주민 — residents.
    Residents,
    /// 공무원과 주민.
    Everyone,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Residents, Audience::Officials, Audience::Everyone];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Officials => "officials",
            Audience::Residents => "residents",
            Audience::Everyone => "everyone",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A course as planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub title: String,
    pub audience: Audience,
    /// 주민자치학교: its completed hours count for the member lottery.
    pub autonomy_school: bool,
    /// Attended minutes that complete the course.
    pub required_minutes: u32,
    pub description: String,
}

/// A session of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub title: String,
    pub held_on: Date,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EducationError {
    #[error("a {field} is 1–{MAX_TITLE} characters on one line")]
    Name { field: &'static str },
    #[error("a description is at most {MAX_TEXT} characters")]
    Text,
    #[error("a course asks 1 minute to {MAX_REQUIRED_HOURS} hours")]
    Required,
    #[error("an autonomy school is a course for residents")]
    SchoolAudience,
    #[error("a session lasts 10–{MAX_SESSION_MINUTES} minutes")]
    SessionMinutes,
    #[error("attendance is 0 to the session's minutes")]
    Attendance,
}

impl EducationError {
    /// The field of the form or the API body that is wrong.
    pub fn field(&self) -> &'static str {
        match self {
            EducationError::Name { field } => field,
            EducationError::Text => "description",
            EducationError::Required => "required_minutes",
            EducationError::SchoolAudience => "autonomy_school",
            EducationError::SessionMinutes => "minutes",
            EducationError::Attendance => "attendance",
        }
    }
}

/// A name or title: trimmed, one line of at most [`MAX_TITLE`] characters.
pub fn name(field: &'static str, s: &str) -> Result<String, EducationError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > MAX_TITLE || t.chars().any(char::is_control) {
        return Err(EducationError::Name { field });
    }
    Ok(t.to_owned())
}

impl Course {
    pub fn new(
        title: &str,
        audience: Audience,
        autonomy_school: bool,
        required_minutes: u32,
        description: &str,
    ) -> Result<Course, EducationError> {
        if !(1..=MAX_REQUIRED_HOURS * 60).contains(&required_minutes) {
            return Err(EducationError::Required);
        }
        if autonomy_school && audience == Audience::Officials {
            return Err(EducationError::SchoolAudience);
        }
        let description = description.trim();
        if description.chars().count() > MAX_TEXT
            || description
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(EducationError::Text);
        }
        Ok(Course {
            title: name("title", title)?,
            audience,
            autonomy_school,
            required_minutes,
            description: description.to_owned(),
        })
    }

    /// Whether attended minutes complete the course.
    pub fn completed_by(&self, attended_minutes: u32) -> bool {
        attended_minutes >= self.required_minutes
    }
}

impl Session {
    pub fn new(title: &str, held_on: Date, minutes: u32) -> Result<Session, EducationError> {
        if !(10..=MAX_SESSION_MINUTES).contains(&minutes) {
            return Err(EducationError::SessionMinutes);
        }
        Ok(Session {
            title: name("title", title)?,
            held_on,
            minutes,
        })
    }

    /// Minutes a person attended of this session: all of it unless given, never more.
    pub fn attended(&self, minutes: Option<u32>) -> Result<u32, EducationError> {
        match minutes {
            None => Ok(self.minutes),
            Some(m) if m <= self.minutes => Ok(m),
            Some(_) => Err(EducationError::Attendance),
        }
    }
}

/// Hours as people write them (`6`, `1.5`, `0.25`) into whole minutes; `None` for anything
/// else (negative, more than two decimals, not a number).
pub fn parse_hours(s: &str) -> Option<u32> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 6
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let hundredths: u32 = format!("{frac:0<2}").parse().ok()?;
    // 0.01 h is 0.6 minutes: round to the nearest minute.
    Some(whole * 60 + (hundredths * 60 + 50) / 100)
}

/// Minutes attended as the whole hours a member lottery's application states (주민자치학교 이수
/// 시간): a part hour does not count, so that an application meets a threshold of hours only
/// when the minutes do.
pub fn whole_hours(minutes: u32) -> u32 {
    minutes / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_course_is_checked() {
        let c = Course::new(" 주민자치학교 ", Audience::Residents, true, 360, "").unwrap();
        assert_eq!(c.title, "주민자치학교");
        assert!(!c.completed_by(359));
        assert!(c.completed_by(360));
        assert_eq!(
            Course::new("직무교육", Audience::Officials, true, 360, "").unwrap_err(),
            EducationError::SchoolAudience
        );
        for (minutes, ok) in [(0, false), (1, true), (12_000, true), (12_001, false)] {
            assert_eq!(
                Course::new("과정", Audience::Everyone, false, minutes, "").is_ok(),
                ok,
                "{minutes}"
            );
        }
        assert_eq!(
            Course::new(" ", Audience::Residents, false, 60, "").unwrap_err(),
            EducationError::Name { field: "title" }
        );
        assert_eq!(
            Course::new("과정", Audience::Residents, false, 60, "a\u{0}b").unwrap_err(),
            EducationError::Text
        );
        assert!(Course::new("과정", Audience::Residents, false, 60, "첫 줄\n둘째 줄").is_ok());
    }

    #[test]
    fn a_session_bounds_its_attendance() {
        let s = Session::new("1회차", date!(2026 - 03 - 05), 120).unwrap();
        assert_eq!(s.attended(None), Ok(120));
        assert_eq!(s.attended(Some(0)), Ok(0));
        assert_eq!(s.attended(Some(90)), Ok(90));
        assert_eq!(s.attended(Some(121)), Err(EducationError::Attendance));
        assert_eq!(
            Session::new("1회차", date!(2026 - 03 - 05), 9).unwrap_err(),
            EducationError::SessionMinutes
        );
        assert_eq!(
            Session::new("1회차", date!(2026 - 03 - 05), 601).unwrap_err(),
            EducationError::SessionMinutes
        );
    }

    #[test]
    fn only_whole_hours_count_for_a_lottery() {
        assert_eq!(whole_hours(359), 5);
        assert_eq!(whole_hours(360), 6);
        assert_eq!(whole_hours(0), 0);
    }

    #[test]
    fn hours_are_read_as_people_write_them() {
        for (s, m) in [
            ("6", Some(360)),
            ("1.5", Some(90)),
            (" 0.25 ", Some(15)),
            (".5", Some(30)),
            ("2.", Some(120)),
            ("0.01", Some(1)),
            ("", None),
            (".", None),
            ("-1", None),
            ("1.234", None),
            ("1,5", None),
            ("六", None),
            ("9999999", None),
        ] {
            assert_eq!(parse_hours(s), m, "{s:?}");
        }
    }
}
