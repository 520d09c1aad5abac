//! 민관협력 — public-private cooperation: the promotion councils of the local governments (and
//! the national public-private council) and the MOUs.

pub mod mou;
pub mod promotion_council;

use crate::access::Routes;

pub fn routes(r: Routes) -> Routes {
    mou::routes(promotion_council::routes(r))
}
