//! 조직 — how the programme is organised: the officer network.

pub mod officer;

use crate::access::Routes;

pub fn routes(r: Routes) -> Routes {
    officer::routes(r)
}
