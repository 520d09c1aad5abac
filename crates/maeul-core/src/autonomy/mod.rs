//! 주민자치 — resident autonomy: the resident general assembly and, around it, the council,
//! its agenda and its plan.

pub mod agenda;
pub mod assembly;
pub mod certificate;
pub mod corporation;
pub mod council;
pub mod lottery;
pub mod plan;
pub mod project;
