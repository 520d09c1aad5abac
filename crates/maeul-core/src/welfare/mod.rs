//! Visiting health and welfare (찾아가는 보건복지): discovery rounds, visits and their outcomes.

pub mod case;
pub mod discovery;
pub mod health;
pub mod person;
pub mod resource;
pub mod visit;
