//! The programme catalogue index (Korean full-text search) and agenda matching.

pub mod catalogue;
pub mod relevance;
pub mod tokenizer;
