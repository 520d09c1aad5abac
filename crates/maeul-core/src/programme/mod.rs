//! 지역사업 — the ministries' regional programmes: the catalogue (and, later, linkage to
//! local agendas and competitive grant calls).

pub mod catalogue;
pub mod file;
pub mod matching;
