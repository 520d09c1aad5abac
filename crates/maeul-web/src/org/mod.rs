//! 조직 — how the programme is organised: organisation models, staffing and the officer network.

pub mod model;
pub mod officer;
pub mod staffing;

use crate::access::Routes;

pub fn routes(r: Routes) -> Routes {
    officer::routes(staffing::routes(model::routes(r)))
}
