//! 조직 — how the programme is organised: the officer network.

pub mod officer;
