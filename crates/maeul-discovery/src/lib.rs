//! 복지사각지대 발굴 — the crisis-indicator discovery engine.
//!
//! Implements `specs/discovery.md` exactly: households are ranked per eup/myeon/dong by the
//! probability that they need help, from decayed crisis indicators and household tags. The
//! crisis file is read first, keeping only the households it names; the households file is
//! then streamed once, scoring those households and checking every row. Both files are read
//! in blocks that worker threads parse in parallel, so memory stays far below the file sizes.

mod engine;
pub mod fit;
pub mod model;
pub mod parse;
mod round;

pub use engine::{Candidate, Failure, Phase, Problem, run, write_candidates};
pub use model::Model;
pub use round::{ListedHousehold, RoundFiles, read_round};
