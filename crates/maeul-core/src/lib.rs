//! Domain types and rules of maeul. No I/O: every function here is a plain function of its
//! inputs, so the rules are unit-tested without a database or a clock.

pub mod account;
pub mod audit;
pub mod autonomy;
pub mod code;
pub mod consulting;
pub mod contact;
pub mod cooperation;
pub mod crypto;
pub mod dashboard;
pub mod disclosure;
pub mod education;
pub mod expert;
pub mod format;
pub mod forum;
pub mod guide;
pub mod org;
pub mod practice;
pub mod programme;
pub mod region;
pub mod sheet;
pub mod text;
pub mod topic;
pub mod welfare;
