//! 조직 — how the programme is organised: the officers in charge of each field in every local
//! government (later, organisation models, teams and staffing).

pub mod officer;
