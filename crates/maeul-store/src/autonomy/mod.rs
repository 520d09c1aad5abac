//! 주민자치 — resident autonomy records.

pub mod agenda;
pub mod assembly;
pub mod certificate;
pub mod corporation;
pub mod council;
pub mod lottery;
pub mod plan;
pub mod project;
pub mod resident;
