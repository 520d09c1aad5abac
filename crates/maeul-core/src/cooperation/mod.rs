//! 민관협력 — public-private cooperation: the promotion councils of the local governments
//! (later, MOUs and partner projects).

pub mod promotion_council;
