//! The catalogue index: the current programmes in a tantivy index held in memory, searched
//! with OR queries of bigram terms under BM25 (the name weighs most), the curated topic map
//! of `maeul_core::topic` in front, filters and per-facet counts, and highlighted matches.
//! The index is a cache of the database's catalogue: it is rebuilt from it whenever the
//! catalogue changes.

use std::collections::{BTreeMap, HashSet};

use maeul_core::programme::catalogue::{Programme, Setting, TargetUnit};
use maeul_core::programme::matching;
use maeul_core::topic::Topic;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term as IndexTerm};
use time::Date;

use crate::tokenizer::{CjkTokenizer, Term, bigrams, unigrams};

/// One programme in the catalogue, with its database id.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    /// The year of the entry (the programme's latest).
    pub year: i32,
    pub programme: Programme,
}

/// What to look for. Filters that are `None` do not filter.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub text: String,
    pub ministry: Option<String>,
    pub target: Option<TargetUnit>,
    pub topic: Option<Topic>,
    /// Programmes that can award at least this much (their largest award).
    pub min_amount: Option<i64>,
    /// Programmes taking applications on this day.
    pub open_on: Option<Date>,
    pub offset: usize,
    pub limit: usize,
}

/// A piece of text, marked where the query matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub score: f32,
    pub name: Vec<Piece>,
    pub summary: Vec<Piece>,
}

/// How many of the matches fall under each value of a facet, counted with every other
/// filter applied (so each count says what choosing that value would give).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub ministries: Vec<(String, usize)>,
    pub targets: Vec<(TargetUnit, usize)>,
    pub topics: Vec<(Topic, usize)>,
}

/// A programme that may fit a text, with why.
#[derive(Debug, Clone)]
pub struct Matched<'a> {
    pub entry: &'a Entry,
    pub score: f32,
    /// Words of the text found in the programme's name or summary.
    pub terms: Vec<String>,
    /// Topics the text and the programme share.
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub hits: Vec<Hit<'a>>,
    pub total: usize,
    pub facets: Facets,
}

struct Fields {
    name: Field,
    summary: Field,
    target: Field,
    ministry: Field,
    eligibility: Field,
    unigram: Field,
    topic: Field,
    ord: Field,
}

/// Weights of the fields (BM25 scores are multiplied by them).
const WEIGHTS: [(&str, f32); 6] = [
    ("name", 3.0),
    ("summary", 1.0),
    ("target", 0.5),
    ("ministry", 0.5),
    ("eligibility", 0.3),
    ("unigram", 0.1),
];
/// The weight of a programme tagged with a topic the query names.
const TOPIC_WEIGHT: f32 = 0.8;
/// The weight of the topic map's other words for a topic the query names.
const EXPANSION_WEIGHT: f32 = 0.2;
/// Matching re-ranks the best this many by words: topics, place and applicant add at most
/// 0.85 to a text score scaled to 0–1, so one further down could reach the top five only
/// with almost no words in common; the pool bounds the work on a large catalogue.
const MATCH_POOL: usize = 300;
/// A summary longer than this is cut around its first match, in characters.
const SNIPPET: usize = 160;

pub struct Catalogue {
    entries: Vec<Entry>,
    fields: Fields,
    reader: IndexReader,
}

/// The index cannot be built (memory, or a bug); searches never fail otherwise.
#[derive(Debug, thiserror::Error)]
#[error("the catalogue index: {0}")]
pub struct IndexError(#[from] tantivy::TantivyError);

impl Catalogue {
    pub fn build(entries: Vec<Entry>) -> Result<Catalogue, IndexError> {
        let mut schema = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let fields = Fields {
            name: schema.add_text_field("name", text("ko_bigram")),
            summary: schema.add_text_field("summary", text("ko_bigram")),
            target: schema.add_text_field("target", text("ko_bigram")),
            ministry: schema.add_text_field("ministry", text("ko_bigram")),
            eligibility: schema.add_text_field("eligibility", text("ko_bigram")),
            unigram: schema.add_text_field("unigram", text("ko_unigram")),
            topic: schema.add_text_field("topic", STRING),
            ord: schema.add_u64_field("ord", FAST),
        };
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register("ko_bigram", CjkTokenizer::bigram());
        index
            .tokenizers()
            .register("ko_unigram", CjkTokenizer::unigram());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 50_000_000)?;
        for (ord, e) in entries.iter().enumerate() {
            let p = &e.programme;
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.name, &p.name);
            doc.add_text(fields.summary, &p.summary);
            doc.add_text(fields.target, &p.target);
            doc.add_text(fields.ministry, &p.ministry);
            doc.add_text(fields.eligibility, &p.eligibility);
            doc.add_text(fields.unigram, format!("{} {}", p.name, p.summary));
            for t in &p.topics {
                doc.add_text(fields.topic, t.as_str());
            }
            doc.add_u64(fields.ord, ord as u64);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(Catalogue {
            entries,
            fields,
            reader,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The query for a text: every bigram (and unigram) of it in every field, OR-ed and
    /// weighted, plus the topics the text names and their other words, lightly.
    fn query(&self, text: &str) -> (Box<dyn Query>, HashSet<String>) {
        let f = &self.fields;
        let terms: HashSet<String> = bigrams(text).into_iter().map(|t| t.text).collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |field: Field, term: &str, weight: f32| {
            let q = TermQuery::new(
                IndexTerm::from_field_text(field, term),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), weight)),
            ));
        };
        let text_fields = [f.name, f.summary, f.target, f.ministry, f.eligibility];
        for term in &terms {
            for (field, (_, w)) in text_fields.iter().zip(WEIGHTS) {
                add(*field, term, w);
            }
        }
        // A character standing alone (`집`, or `빈 집` typed apart) also meets the characters
        // of the unigram field; inside longer words the bigrams are precise enough.
        let alone: Vec<&String> = terms.iter().filter(|t| t.chars().count() == 1).collect();
        for term in &alone {
            add(f.unigram, term, WEIGHTS[5].1);
        }
        let named = Topic::ALL
            .into_iter()
            .filter(|t| t.words().iter().any(|w| text.contains(w)) || text.contains(t.korean()));
        for topic in named {
            add(f.topic, topic.as_str(), TOPIC_WEIGHT);
            for w in topic.words() {
                for b in bigrams(w) {
                    if !terms.contains(&b.text) {
                        add(f.name, &b.text, EXPANSION_WEIGHT);
                        add(f.summary, &b.text, EXPANSION_WEIGHT);
                    }
                }
            }
        }
        (Box::new(BooleanQuery::new(clauses)), terms)
    }

    /// The entries a text matches, with scores, best first (all entries in catalogue order
    /// when the text is empty); at most `pool` of them.
    fn matches(&self, text: &str, pool: usize) -> Result<Matches, IndexError> {
        if text.trim().is_empty() {
            return Ok((
                (0..self.entries.len()).map(|i| (i, 0.0)).collect(),
                HashSet::new(),
            ));
        }
        let (query, terms) = self.query(text);
        let searcher = self.reader.searcher();
        let mut out = searcher.search(&query, &EveryMatch)?;
        // Equal scores keep catalogue order, so pages are stable. Only the first `pool` need
        // their order; the rest are counted.
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if pool < out.len() {
            out.select_nth_unstable_by(pool, order);
            out.truncate(pool);
        }
        out.sort_unstable_by(order);
        Ok((out, terms))
    }

    pub fn search(&self, s: &Search) -> Result<Found<'_>, IndexError> {
        let (matches, terms) = self.matches(&s.text, usize::MAX)?;
        let pass = |p: &Programme, skip: Facet| {
            (skip == Facet::Ministry || s.ministry.as_ref().is_none_or(|m| &p.ministry == m))
                && (skip == Facet::Target || s.target.is_none_or(|t| p.target_units.contains(&t)))
                && (skip == Facet::Topic || s.topic.is_none_or(|t| p.topics.contains(&t)))
                && s.min_amount
                    .is_none_or(|a| p.amount_max.is_some_and(|m| m >= a))
                && s.open_on.is_none_or(|d| p.open_on(d))
        };
        let mut ministries: BTreeMap<&str, usize> = BTreeMap::new();
        let mut targets: BTreeMap<TargetUnit, usize> = BTreeMap::new();
        let mut topics: BTreeMap<Topic, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for &(ord, score) in &matches {
            let p = &self.entries[ord].programme;
            if pass(p, Facet::Ministry) {
                *ministries.entry(&p.ministry).or_default() += 1;
            }
            if pass(p, Facet::Target) {
                for t in &p.target_units {
                    *targets.entry(*t).or_default() += 1;
                }
            }
            if pass(p, Facet::Topic) {
                for t in &p.topics {
                    *topics.entry(*t).or_default() += 1;
                }
            }
            if pass(p, Facet::None) {
                kept.push((ord, score));
            }
        }
        let mut ministries: Vec<(String, usize)> = ministries
            .into_iter()
            .map(|(m, n)| (m.to_owned(), n))
            .collect();
        ministries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let hits = kept
            .iter()
            .skip(s.offset)
            .take(s.limit)
            .map(|&(ord, score)| {
                let entry = &self.entries[ord];
                Hit {
                    entry,
                    score,
                    name: highlight(&entry.programme.name, &terms, usize::MAX),
                    summary: highlight(&entry.programme.summary, &terms, SNIPPET),
                }
            })
            .collect();
        Ok(Found {
            hits,
            total: kept.len(),
            facets: Facets {
                ministries,
                targets: targets.into_iter().collect(),
                topics: topics.into_iter().collect(),
            },
        })
    }
}

/// Collects every match with its score and its place in the catalogue (the `ord` fast
/// field), without the heap a top-k collector keeps: a search needs every match for its
/// total and facets.
pub(crate) struct EveryMatch;

pub(crate) struct EveryMatchInSegment {
    ords: tantivy::columnar::Column<u64>,
    out: Vec<(usize, f32)>,
}

impl tantivy::collector::Collector for EveryMatch {
    type Fruit = Vec<(usize, f32)>;
    type Child = EveryMatchInSegment;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<EveryMatchInSegment> {
        Ok(EveryMatchInSegment {
            ords: reader.fast_fields().u64("ord")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(usize, f32)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl tantivy::collector::SegmentCollector for EveryMatchInSegment {
    type Fruit = Vec<(usize, f32)>;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.out.push((ord as usize, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// The matched entries (index, score) and the query's terms, for highlighting.
type Matches = (Vec<(usize, f32)>, HashSet<String>);

impl Catalogue {
    /// The programmes that may fit a text (an agenda item, a plan item, a problem in
    /// words) for a place of the given setting, best first: the text's relevance scaled to
    /// 0–1, plus shared topics, setting and who applies (`maeul_core::programme::matching`).
    pub fn match_text(
        &self,
        text: &str,
        place: Setting,
        limit: usize,
    ) -> Result<Vec<Matched<'_>>, IndexError> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let (matches, terms) = self.matches(text, MATCH_POOL)?;
        let best = matches.first().map_or(0.0, |m| m.1).max(f32::EPSILON);
        let wanted: Vec<Topic> = Topic::of_text(text);
        let mut scored: Vec<(usize, f32, Vec<Topic>)> = matches
            .iter()
            .map(|&(ord, s)| {
                let p = &self.entries[ord].programme;
                let shared: Vec<Topic> = wanted
                    .iter()
                    .copied()
                    .filter(|t| p.topics.contains(t))
                    .collect();
                let score = matching::score(s / best, shared.len(), place, p);
                (ord, score, shared)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(limit);
        Ok(scored
            .into_iter()
            .map(|(ord, score, topics)| {
                let entry = &self.entries[ord];
                let p = &entry.programme;
                let mut words: Vec<String> = Vec::new();
                for piece in highlight(&p.name, &terms, usize::MAX)
                    .into_iter()
                    .chain(highlight(&p.summary, &terms, usize::MAX))
                {
                    if piece.hit && !words.contains(&piece.text) {
                        words.push(piece.text);
                    }
                }
                words.truncate(5);
                Matched {
                    entry,
                    score,
                    terms: words,
                    topics,
                }
            })
            .collect())
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Facet {
    None,
    Ministry,
    Target,
    Topic,
}

/// A text cut into pieces, marked where one of the terms stands; overlapping bigrams join
/// into one mark. A text longer than `max` characters is cut to `max` around its first mark.
pub fn highlight(text: &str, terms: &HashSet<String>, max: usize) -> Vec<Piece> {
    // Single characters are marked only when the query is nothing but single characters
    // (`집`, `빈 집`): in a sentence they would mark half the text.
    let split = if terms.iter().all(|t| t.chars().count() == 1) {
        unigrams
    } else {
        bigrams
    };
    let mut marks: Vec<std::ops::Range<usize>> = Vec::new();
    for Term { text: t, at } in split(text) {
        if !terms.contains(&t) {
            continue;
        }
        match marks.last_mut() {
            Some(last) if at.start <= last.end => last.end = last.end.max(at.end),
            _ => marks.push(at),
        }
    }
    let (from, to) = window(text, marks.first().map(|m| m.start), max);
    let mut pieces = Vec::new();
    let mut push = |s: &str, hit: bool| {
        if !s.is_empty() {
            pieces.push(Piece {
                text: s.to_owned(),
                hit,
            });
        }
    };
    if from > 0 {
        push("…", false);
    }
    let mut at = from;
    for m in marks {
        let (start, end) = (m.start.max(from), m.end.min(to));
        if start >= end {
            continue;
        }
        push(&text[at..start], false);
        push(&text[start..end], true);
        at = end;
    }
    push(&text[at..to], false);
    if to < text.len() {
        push("…", false);
    }
    pieces
}

/// The byte range of at most `max` characters of a text, starting a little before `first`.
fn window(text: &str, first: Option<usize>, max: usize) -> (usize, usize) {
    if text.chars().count() <= max {
        return (0, text.len());
    }
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let chars = bounds.len() - 1;
    let first_char = first.map_or(0, |b| bounds.partition_point(|&i| i < b));
    // A little before the first match, but never so late that the window runs short.
    let start = first_char
        .saturating_sub(max / 4)
        .min(chars.saturating_sub(max));
    let end = (start + max).min(chars);
    (bounds[start], bounds[end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use maeul_core::programme::catalogue::Window;
    use time::macros::date;

    fn entry(id: i64, ministry: &str, name: &str, target: &str, summary: &str) -> Entry {
        Entry {
            id,
            year: 2026,
            programme: Programme::new(Programme {
                ministry: ministry.into(),
                name: name.into(),
                summary: summary.into(),
                target: target.into(),
                ..Programme::default()
            })
            .unwrap(),
        }
    }

    fn catalogue() -> Catalogue {
        let mut entries = vec![
            entry(
                1,
                "행정안전부",
                "청년마을 만들기 지원 사업",
                "청년 단체",
                "3년간 매년 2억원",
            ),
            entry(
                2,
                "농림축산식품부",
                "빈집정비 지원",
                "시·군",
                "농촌 빈집 철거와 리모델링",
            ),
            entry(
                3,
                "국토교통부",
                "도시재생 뉴딜사업",
                "지자체",
                "쇠퇴지역 주거지 재생",
            ),
            entry(
                4,
                "행정안전부",
                "마을공방 육성사업",
                "시·군·구",
                "유휴시설 활용 일자리 공간",
            ),
            entry(
                5,
                "문화체육관광부",
                "문화도시",
                "기초지자체",
                "지역문화진흥법에 따른 지정",
            ),
        ];
        entries[1].programme.amount_max = Some(500_000_000);
        entries[3].programme.window = Some(Window {
            opens: date!(2026 - 03 - 01),
            closes: date!(2026 - 03 - 31),
        });
        Catalogue::build(entries).unwrap()
    }

    fn ids(found: &Found) -> Vec<i64> {
        found.hits.iter().map(|h| h.entry.id).collect()
    }

    fn all(text: &str) -> Search {
        Search {
            text: text.into(),
            limit: 100,
            ..Search::default()
        }
    }

    #[test]
    fn a_word_finds_the_compounds_that_hold_it() {
        let c = catalogue();
        assert_eq!(ids(&c.search(&all("청년")).unwrap()), [1]);
        let found = c.search(&all("빈집")).unwrap();
        assert_eq!(ids(&found)[0], 2, "the name match ranks first");
        assert_eq!(
            found.hits[0].name,
            [
                Piece {
                    text: "빈집".into(),
                    hit: true
                },
                Piece {
                    text: "정비 지원".into(),
                    hit: false
                }
            ]
        );
        assert!(c.search(&all("우주정거장")).unwrap().hits.is_empty());
    }

    #[test]
    fn the_topic_map_finds_programmes_that_use_other_words() {
        let c = catalogue();
        // 공가 (an empty house) is a word of the housing topic, which 빈집정비 carries.
        let found = c.search(&all("공가")).unwrap();
        assert!(ids(&found).contains(&2), "{:?}", ids(&found));
    }

    #[test]
    fn filters_narrow_and_facets_count_with_the_other_filters() {
        let c = catalogue();
        let mut s = all("");
        assert_eq!(c.search(&s).unwrap().total, 5);
        s.ministry = Some("행정안전부".into());
        let found = c.search(&s).unwrap();
        assert_eq!(ids(&found), [1, 4]);
        // The ministry facet ignores the ministry filter itself.
        assert_eq!(found.facets.ministries[0], ("행정안전부".into(), 2));
        assert_eq!(
            found.facets.ministries.iter().map(|m| m.1).sum::<usize>(),
            5
        );
        s.target = Some(TargetUnit::Sigungu);
        assert_eq!(ids(&c.search(&s).unwrap()), [4]);
        let s = Search {
            min_amount: Some(100_000_000),
            ..all("")
        };
        assert_eq!(ids(&c.search(&s).unwrap()), [2]);
        let s = Search {
            open_on: Some(date!(2026 - 03 - 10)),
            ..all("")
        };
        assert_eq!(ids(&c.search(&s).unwrap()), [4]);
        let s = Search {
            topic: Some(Topic::Youth),
            ..all("")
        };
        assert_eq!(ids(&c.search(&s).unwrap()), [1]);
    }

    #[test]
    fn pages_follow_the_ranking() {
        let c = catalogue();
        let whole = ids(&c.search(&all("")).unwrap());
        let mut paged = Vec::new();
        for offset in (0..5).step_by(2) {
            let s = Search {
                offset,
                limit: 2,
                ..all("")
            };
            let found = c.search(&s).unwrap();
            assert_eq!(found.total, 5);
            paged.extend(ids(&found));
        }
        assert_eq!(paged, whole);
    }

    #[test]
    fn a_sentence_marks_its_words_and_single_characters_mark_alone() {
        let c = catalogue();
        let found = c.search(&all("빈집을 고쳐 살 수 있게")).unwrap();
        assert_eq!(ids(&found)[0], 2);
        assert!(found.hits[0].name.iter().any(|p| p.hit && p.text == "빈집"));
        let found = c.search(&all("빈 집")).unwrap();
        assert!(ids(&found).contains(&2), "spaced apart: {:?}", ids(&found));
        assert!(found.hits[0].name.iter().any(|p| p.hit && p.text == "빈집"));
    }

    #[test]
    fn a_match_near_the_end_still_shows_a_full_window() {
        let terms: HashSet<String> = ["빈집".to_owned()].into();
        let text = format!("{}빈집", "가".repeat(300));
        let pieces = highlight(&text, &terms, 40);
        let shown: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
        assert_eq!(shown, 41, "40 characters and the leading …");
        assert!(pieces.last().unwrap().hit);
    }

    #[test]
    fn long_text_is_cut_around_its_first_match() {
        let terms: HashSet<String> = ["빈집".to_owned()].into();
        let text = format!("{}빈집{}", "가".repeat(300), "나".repeat(300));
        let pieces = highlight(&text, &terms, 40);
        assert_eq!(pieces.first().unwrap().text, "…");
        assert_eq!(pieces.last().unwrap().text, "…");
        assert!(pieces.iter().any(|p| p.hit && p.text == "빈집"));
        let shown: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
        assert!(shown <= 42, "{shown}");
    }
}
