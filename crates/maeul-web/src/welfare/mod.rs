//! Visiting health and welfare: the workspace pages and the API of personal records, open
//! only to the roles and places of DESIGN.md §4.

pub mod discovery;
