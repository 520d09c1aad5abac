//! 주제 — the problems residents name. One vocabulary serves agenda items, the programme
//! catalogue and the residents' sourcebook, so that an agenda item and a programme can be
//! matched on it.

use serde::{Deserialize, Serialize};

/// 주제 — the problems residents name (the same topics the residents' sourcebook uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// 돌봄
    Care,
    /// 주거·빈집
    Housing,
    /// 일자리
    Jobs,
    /// 청년
    Youth,
    /// 고령화
    Ageing,
    /// 안전
    Safety,
    /// 환경
    Environment,
    /// 문화
    Culture,
    /// 교육
    Education,
    /// 교통
    Transport,
    /// 지역경제
    LocalEconomy,
    /// 인구감소
    PopulationDecline,
    /// 마을공동체
    Community,
    /// 기타
    Other,
}

impl Topic {
    pub const ALL: [Topic; 14] = [
        Topic::Care,
        Topic::Housing,
        Topic::Jobs,
        Topic::Youth,
        Topic::Ageing,
        Topic::Safety,
        Topic::Environment,
        Topic::Culture,
        Topic::Education,
        Topic::Transport,
        Topic::LocalEconomy,
        Topic::PopulationDecline,
        Topic::Community,
        Topic::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Care => "care",
            Topic::Housing => "housing",
            Topic::Jobs => "jobs",
            Topic::Youth => "youth",
            Topic::Ageing => "ageing",
            Topic::Safety => "safety",
            Topic::Environment => "environment",
            Topic::Culture => "culture",
            Topic::Education => "education",
            Topic::Transport => "transport",
            Topic::LocalEconomy => "local_economy",
            Topic::PopulationDecline => "population_decline",
            Topic::Community => "community",
            Topic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

impl Topic {
    /// The Korean name, as residents and files write it.
    pub fn korean(self) -> &'static str {
        match self {
            Topic::Care => "돌봄",
            Topic::Housing => "주거·빈집",
            Topic::Jobs => "일자리",
            Topic::Youth => "청년",
            Topic::Ageing => "고령화",
            Topic::Safety => "안전",
            Topic::Environment => "환경",
            Topic::Culture => "문화",
            Topic::Education => "교육",
            Topic::Transport => "교통",
            Topic::LocalEconomy => "지역경제",
            Topic::PopulationDecline => "인구감소",
            Topic::Community => "마을공동체",
            Topic::Other => "기타",
        }
    }

    /// A code or the Korean name.
    pub fn parse_any(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::parse(s).or_else(|| Self::ALL.into_iter().find(|t| t.korean() == s))
    }

    /// Words that show a text is about this topic: a curated map that topic tagging,
    /// search expansion and matching share.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Topic::Care => &[
                "돌봄", "복지", "요양", "케어", "보건", "건강", "보육", "간병",
            ],
            Topic::Housing => &[
                "주거",
                "빈집",
                "공가",
                "집수리",
                "주택",
                "임대",
                "보금자리",
                "주거지",
            ],
            Topic::Jobs => &["일자리", "고용", "취업", "창업", "일터", "구직"],
            Topic::Youth => &["청년", "청소년"],
            Topic::Ageing => &["고령", "노인", "어르신", "은퇴", "경로당", "노년"],
            Topic::Safety => &[
                "안전",
                "방범",
                "재난",
                "방파제",
                "횡단보도",
                "CCTV",
                "치안",
                "사고",
            ],
            Topic::Environment => &[
                "환경",
                "쓰레기",
                "녹지",
                "공원",
                "난개발",
                "위생",
                "기후",
                "에너지",
                "정비",
            ],
            Topic::Culture => &["문화", "예술", "관광", "축제", "체류", "워케이션"],
            Topic::Education => &["교육", "역량강화", "학습", "유학", "학교", "훈련"],
            Topic::Transport => &["교통", "주차", "버스", "도로", "보행", "이동"],
            Topic::LocalEconomy => &[
                "지역경제",
                "상권",
                "전통시장",
                "상점가",
                "로컬",
                "브랜드",
                "특화상품",
                "소상공인",
                "경제",
            ],
            Topic::PopulationDecline => &[
                "인구감소",
                "지방소멸",
                "생활인구",
                "귀농",
                "귀촌",
                "정주",
                "소멸",
            ],
            Topic::Community => &[
                "공동체",
                "주민 주도",
                "주민주도",
                "주민참여",
                "커뮤니티",
                "주민자치",
                "공방",
                "마을회관",
            ],
            Topic::Other => &[],
        }
    }

    /// The topics a text speaks of, in the order of [`Topic::ALL`]; none when no word of the
    /// map occurs.
    pub fn of_text(text: &str) -> Vec<Topic> {
        Self::ALL
            .into_iter()
            .filter(|t| t.words().iter().any(|w| text.contains(w)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_read_from_the_words_of_a_text() {
        assert_eq!(
            Topic::of_text("농촌 빈집 정비와 청년 보금자리"),
            vec![Topic::Housing, Topic::Youth, Topic::Environment]
        );
        assert_eq!(Topic::of_text("무엇과도 관계없는 글"), vec![]);
    }

    #[test]
    fn a_topic_parses_from_its_code_or_its_korean_name() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse_any(t.as_str()), Some(t));
            assert_eq!(Topic::parse_any(t.korean()), Some(t));
        }
        assert_eq!(Topic::parse_any("없는주제"), None);
    }
}
