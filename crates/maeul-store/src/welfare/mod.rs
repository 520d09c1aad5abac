//! Visiting health and welfare records. Every read of a personal record goes through a
//! method here that writes its access-log entry in the same transaction: no caller can
//! read a person without leaving a trace.

pub mod case;
pub mod discovery;
pub mod health;
pub mod resource;
