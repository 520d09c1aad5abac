//! The guides' index: every guide in a tantivy index held in memory, searched as the
//! catalogue is (OR of bigram terms under BM25, the title weighing most), with the matches
//! marked in the title and in a snippet of the body. Rebuilt whenever a guide changes.

use std::collections::HashSet;

use maeul_core::guide::Subject;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, TantivyDocument, Term as IndexTerm};

use crate::catalogue::{EveryMatch, IndexError, Piece, highlight};
use crate::tokenizer::{CjkTokenizer, bigrams};

/// A guide as the index sees it.
#[derive(Debug, Clone)]
pub struct GuideDoc {
    pub slug: String,
    pub subject: Subject,
    pub title: String,
    pub summary: String,
    /// The body without markup (`maeul_core::guide::plain`).
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct GuideHit<'a> {
    pub doc: &'a GuideDoc,
    pub title: Vec<Piece>,
    /// Around the first match in the body, or the summary when the body has none.
    pub snippet: Vec<Piece>,
}

/// Title, summary and body, with their weights.
const WEIGHTS: [f32; 3] = [3.0, 1.5, 1.0];
/// A snippet's length, in characters.
const SNIPPET: usize = 160;

/// The weight of the single characters of titles and summaries: a one-syllable query (`집`)
/// meets them there, where the bigrams of longer words would not.
const UNIGRAM_WEIGHT: f32 = 0.3;

pub struct GuideIndex {
    docs: Vec<GuideDoc>,
    fields: [Field; 3],
    unigram: Field,
    reader: IndexReader,
}

impl GuideIndex {
    /// The index of the guides, which keep the order given (the order of an empty search).
    pub fn build(docs: Vec<GuideDoc>) -> Result<GuideIndex, IndexError> {
        let mut schema = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let fields = [
            schema.add_text_field("title", text("ko_bigram")),
            schema.add_text_field("summary", text("ko_bigram")),
            schema.add_text_field("body", text("ko_bigram")),
        ];
        let unigram = schema.add_text_field("unigram", text("ko_unigram"));
        // `EveryMatch` reads each match's place in `docs` from this field.
        let ord = schema.add_u64_field("ord", FAST);
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register("ko_bigram", CjkTokenizer::bigram());
        index
            .tokenizers()
            .register("ko_unigram", CjkTokenizer::unigram());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000)?;
        for (i, d) in docs.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields[0], &d.title);
            doc.add_text(fields[1], &d.summary);
            doc.add_text(fields[2], &d.text);
            doc.add_text(unigram, format!("{} {}", d.title, d.summary));
            doc.add_u64(ord, i as u64);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        Ok(GuideIndex {
            docs,
            fields,
            unigram,
            reader: index.reader()?,
        })
    }

    pub fn docs(&self) -> &[GuideDoc] {
        &self.docs
    }

    /// The guides of a subject (all when `None`) that a text matches, best first, or all of
    /// them in order when the text is empty.
    pub fn search(
        &self,
        text: &str,
        subject: Option<Subject>,
    ) -> Result<Vec<GuideHit<'_>>, IndexError> {
        let of_subject = |d: &GuideDoc| subject.is_none_or(|s| d.subject == s);
        let terms: HashSet<String> = bigrams(text).into_iter().map(|t| t.text).collect();
        let found: Vec<usize> = if text.trim().is_empty() {
            (0..self.docs.len()).collect()
        } else if terms.is_empty() {
            // Only punctuation: nothing to look for, so nothing found.
            Vec::new()
        } else {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for term in &terms {
                let alone = (term.chars().count() == 1).then_some((self.unigram, UNIGRAM_WEIGHT));
                for (field, weight) in self.fields.iter().copied().zip(WEIGHTS).chain(alone) {
                    let q = TermQuery::new(
                        IndexTerm::from_field_text(field, term),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), weight)),
                    ));
                }
            }
            let mut out = self
                .reader
                .searcher()
                .search(&BooleanQuery::new(clauses), &EveryMatch)?;
            out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out.into_iter().map(|(i, _)| i).collect()
        };
        Ok(found
            .into_iter()
            .map(|i| &self.docs[i])
            .filter(|d| of_subject(d))
            .map(|doc| {
                let body = highlight(&doc.text, &terms, SNIPPET);
                let snippet = if body.iter().any(|p| p.hit) || doc.summary.is_empty() {
                    body
                } else {
                    highlight(&doc.summary, &terms, SNIPPET)
                };
                GuideHit {
                    doc,
                    title: highlight(&doc.title, &terms, usize::MAX),
                    snippet,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(slug: &str, subject: Subject, title: &str, summary: &str, text: &str) -> GuideDoc {
        GuideDoc {
            slug: slug.into(),
            subject,
            title: title.into(),
            summary: summary.into(),
            text: text.into(),
        }
    }

    fn index() -> GuideIndex {
        GuideIndex::build(vec![
            doc(
                "assembly",
                Subject::Assembly,
                "주민총회 운영 안내",
                "총회를 준비하고 여는 방법",
                "투표코드를 발급하고 투표소에서 본인을 확인합니다. 사례회의와는 다릅니다.",
            ),
            doc(
                "case-conference",
                Subject::Case,
                "사례회의 안내",
                "통합사례관리의 사례회의",
                "사례회의는 고난도 사례를 다룹니다. 투표는 하지 않습니다.",
            ),
            doc(
                "lottery",
                Subject::Lottery,
                "위원 추첨",
                "",
                "자치학교 이수 시간",
            ),
        ])
        .unwrap()
    }

    fn slugs(hits: &[GuideHit]) -> Vec<String> {
        hits.iter().map(|h| h.doc.slug.clone()).collect()
    }

    #[test]
    fn the_title_weighs_most_and_only_matches_are_found() {
        let ix = index();
        assert_eq!(
            slugs(&ix.search("사례회의", None).unwrap()),
            ["case-conference", "assembly"]
        );
        // Words are OR-ed bigrams: `투표` alone meets the case guide too, lower.
        assert_eq!(
            slugs(&ix.search("투표코드", None).unwrap()),
            ["assembly", "case-conference"]
        );
        assert!(ix.search("주차장", None).unwrap().is_empty());
        assert!(
            ix.search("?!", None).unwrap().is_empty(),
            "punctuation finds nothing"
        );
        // One syllable meets the characters of titles: `첨` of `추첨`.
        assert_eq!(slugs(&ix.search("첨", None).unwrap()), ["lottery"]);
    }

    #[test]
    fn an_empty_text_lists_all_in_order_and_a_subject_narrows() {
        let ix = index();
        assert_eq!(
            slugs(&ix.search(" ", None).unwrap()),
            ["assembly", "case-conference", "lottery"]
        );
        assert_eq!(
            slugs(&ix.search("", Some(Subject::Lottery)).unwrap()),
            ["lottery"]
        );
        assert_eq!(
            slugs(&ix.search("사례회의", Some(Subject::Case)).unwrap()),
            ["case-conference"]
        );
    }

    #[test]
    fn matches_are_marked_in_the_title_and_the_snippet() {
        let ix = index();
        let hits = ix.search("자치학교", None).unwrap();
        assert_eq!(slugs(&hits), ["lottery"]);
        let marked: Vec<&str> = hits[0]
            .snippet
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["자치학교"]);
        let hits = ix.search("총회 방법", None).unwrap();
        assert!(hits[0].title.iter().any(|p| p.hit && p.text == "총회"));
        // Not in the body: the summary is the snippet, marked.
        assert!(hits[0].snippet.iter().any(|p| p.hit && p.text == "방법"));
    }
}
