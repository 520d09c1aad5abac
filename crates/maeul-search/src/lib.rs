//! The programme catalogue index (Korean full-text search) and agenda matching, and the
//! search of the guides.

pub mod catalogue;
pub mod guide;
pub mod relevance;
pub mod tokenizer;
