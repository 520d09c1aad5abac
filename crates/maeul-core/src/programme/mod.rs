//! 지역사업 — the ministries' regional programmes: the catalogue, matching local problems to it,
//! and the linkage of a local agenda to a programme (later, competitive grant calls).

pub mod catalogue;
pub mod file;
pub mod linkage;
pub mod matching;
