//! 지역사업 — the ministries' regional programmes: the catalogue, matching local problems to it,
//! the linkage of a local agenda to a programme, and competitive grant calls.

pub mod catalogue;
pub mod file;
pub mod grant_call;
pub mod linkage;
pub mod matching;
