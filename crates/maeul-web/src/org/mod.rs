//! 조직 — how the programme is organised: organisation models and the officer network.

pub mod model;
pub mod officer;

use crate::access::Routes;

pub fn routes(r: Routes) -> Routes {
    officer::routes(model::routes(r))
}
