//! 조직 — how the programme is organised: the organisation model and teams of every
//! eup/myeon/dong, the posts of the four staff kinds, and the officers in charge of each field
//! in every local government.

pub mod model;
pub mod officer;
pub mod staffing;
