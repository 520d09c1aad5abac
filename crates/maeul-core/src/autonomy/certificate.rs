//! 참여 확인서 — a certificate that a resident took part in a resident general assembly or a
//! council meeting, printed for official leave (공가), and 교육 이수증, that someone completed a
//! course; both checked by anyone with their verification code.
//!
//! An assembly's certificate is issued only to a resident recorded as taking part (through any
//! channel), once per resident and assembly; it says nothing of how they voted.

use serde::{Deserialize, Serialize};

pub use crate::code::Code as CertificateCode;

/// Longest name on a certificate, in characters.
pub const MAX_NAME: usize = 50;

/// What the certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 주민총회 참여.
    Assembly,
    /// 주민자치회 회의 참석.
    CouncilMeeting,
    /// 교육 이수.
    CourseCompletion,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Assembly, Kind::CouncilMeeting, Kind::CourseCompletion];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Assembly => "assembly",
            Kind::CouncilMeeting => "council_meeting",
            Kind::CourseCompletion => "course_completion",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What is wrong with a request for a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("a name of 1 to {MAX_NAME} characters is needed")]
    Name,
}

/// The holder's name as it will be printed, checked.
pub fn holder(name: &str) -> Result<String, CertificateError> {
    let trimmed = name.trim();
    if trimmed.is_empty()
        || name.chars().count() > MAX_NAME
        || trimmed.chars().any(char::is_control)
    {
        return Err(CertificateError::Name);
    }
    Ok(trimmed.to_owned())
}

/// The name as a verifier sees it: the first and last characters of a name of three or more
/// with the rest starred (김*수, 남**희), the first of a shorter one (김*), so that the code alone does not give a
/// full name away while the paper it is printed on can still be matched.
pub fn masked(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// The head of a local government or a place, who signs what it issues: 청운효자동장, 가평읍장,
/// 종로구청장, 수원시장, 가평군수, 서울특별시장, 경기도지사. `place` is the region's full name;
/// `None` for a name of no known level (the nation's documents are signed by the ministry).
pub fn head_of(place: &str) -> Option<String> {
    let own = place.rsplit(' ').next().unwrap_or(place);
    let title = match own.chars().last()? {
        '동' | '읍' | '면' | '시' => "장",
        '구' => "청장",
        '군' => "수",
        '도' => "지사",
        _ => return None,
    };
    Some(format!("{own}{title}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_bounded() {
        assert_eq!(holder("  김민수 "), Ok("김민수".to_owned()));
        assert_eq!(holder(" "), Err(CertificateError::Name));
        assert_eq!(holder("김\n민수"), Err(CertificateError::Name));
        assert_eq!(
            holder(&"가".repeat(MAX_NAME + 1)),
            Err(CertificateError::Name)
        );
        assert!(holder(&"가".repeat(MAX_NAME)).is_ok());
    }

    #[test]
    fn a_verifier_sees_the_name_masked() {
        assert_eq!(masked("김민수"), "김*수");
        assert_eq!(masked("남궁민희"), "남**희");
        assert_eq!(masked("김수"), "김*");
        assert_eq!(masked("Kim Minsu"), "K*******u");
    }

    #[test]
    fn the_head_signs_by_the_level_of_the_place() {
        assert_eq!(
            head_of("서울특별시 종로구 청운효자동").as_deref(),
            Some("청운효자동장")
        );
        assert_eq!(head_of("경기도 가평군 가평읍").as_deref(), Some("가평읍장"));
        assert_eq!(head_of("경기도 가평군 북면").as_deref(), Some("북면장"));
        assert_eq!(head_of("서울특별시 종로구").as_deref(), Some("종로구청장"));
        assert_eq!(head_of("경기도 수원시").as_deref(), Some("수원시장"));
        assert_eq!(head_of("경기도 가평군").as_deref(), Some("가평군수"));
        assert_eq!(head_of("서울특별시").as_deref(), Some("서울특별시장"));
        assert_eq!(
            head_of("강원특별자치도").as_deref(),
            Some("강원특별자치도지사")
        );
        assert_eq!(
            head_of("경기도 수원시 장안구").as_deref(),
            Some("장안구청장")
        );
        assert_eq!(
            head_of("세종특별자치시").as_deref(),
            Some("세종특별자치시장")
        );
        assert_eq!(
            head_of("제주특별자치도 제주시").as_deref(),
            Some("제주시장")
        );
        assert_eq!(head_of("전국"), None);
        assert_eq!(head_of(""), None);
    }

    #[test]
    fn kinds_read_back() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("Assembly"), None);
    }
}
