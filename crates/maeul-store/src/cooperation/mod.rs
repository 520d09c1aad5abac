//! 민관협력 — public-private cooperation: the promotion councils of the local governments (and
//! the national public-private council) and the MOUs.

pub mod mou;
pub mod partner_project;
pub mod promotion_council;
