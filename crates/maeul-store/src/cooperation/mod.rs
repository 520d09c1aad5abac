//! 민관협력 — public-private cooperation: the promotion councils of the local governments.

pub mod promotion_council;
