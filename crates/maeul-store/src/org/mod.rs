//! 조직 — how the programme is organised: organisation models, staffing and the officer network.

pub mod model;
pub mod officer;
pub mod staffing;
