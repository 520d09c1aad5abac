//! 민관협력 — public-private cooperation: the promotion councils of the local governments (and,
//! at the nation, the national public-private council) and the MOUs (업무협약).

pub mod mou;
pub mod partner_project;
pub mod promotion_council;
