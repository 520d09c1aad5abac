//! 조직 — how the programme is organised: organisation models and the officer network.

pub mod model;
pub mod officer;
