//! 조직 — how the programme is organised: the organisation model and teams of every
//! eup/myeon/dong, and the officers in charge of each field in every local government
//! (later, staffing).

pub mod model;
pub mod officer;
