//! 민관협력 — public-private cooperation: the promotion councils of the local governments (and
//! the national public-private council), the MOUs and the projects private support organisations
//! lead.

pub mod mou;
pub mod partner_project;
pub mod promotion_council;

use crate::access::Routes;

pub fn routes(r: Routes) -> Routes {
    partner_project::routes(mou::routes(promotion_council::routes(r)))
}
