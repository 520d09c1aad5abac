//! Word-split CJK bigrams, like Lucene's `cjk` analyser: inside a run of Hangul (or other
//! CJK) characters every two neighbouring characters make a term, so `빈집` finds `빈집정비`
//! and `청년` finds `청년마을` without a dictionary; a run of one character is a term of its
//! own; other letters and digits make lower-cased words. The unigram variant gives each
//! Hangul character alone, for a low-weighted field that catches spacing variants
//! (`빈 집`).

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// A term and where it stands in the text (bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub at: Range<usize>,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0xAC00..=0xD7A3      // Hangul syllables
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0x3040..=0x30FF    // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs (e.g. 鄕)
        | 0xF900..=0xFAFF)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Class {
    Cjk,
    Word,
    Gap,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Gap
    }
}

/// The runs of one class in a text: (class, the characters with their byte offsets).
fn runs(text: &str) -> impl Iterator<Item = (Class, Vec<(usize, char)>)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (i, c) = chars.next()?;
            let k = class(c);
            if k == Class::Gap {
                continue;
            }
            let mut run = vec![(i, c)];
            while let Some(&(j, d)) = chars.peek() {
                if class(d) != k {
                    break;
                }
                run.push((j, d));
                chars.next();
            }
            return Some((k, run));
        }
    })
}

fn end_of(run: &[(usize, char)], k: usize) -> usize {
    let (i, c) = run[k];
    i + c.len_utf8()
}

fn word(run: &[(usize, char)]) -> Term {
    Term {
        text: run.iter().flat_map(|(_, c)| c.to_lowercase()).collect(),
        at: run[0].0..end_of(run, run.len() - 1),
    }
}

/// The bigram terms of a text, in order.
pub fn bigrams(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    for (k, run) in runs(text) {
        match k {
            Class::Cjk if run.len() > 1 => {
                for w in 0..run.len() - 1 {
                    out.push(Term {
                        text: [run[w].1, run[w + 1].1].iter().collect(),
                        at: run[w].0..end_of(&run, w + 1),
                    });
                }
            }
            _ => out.push(word(&run)),
        }
    }
    out
}

/// The unigram terms of a text: each CJK character alone, words as in [`bigrams`].
pub fn unigrams(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    for (k, run) in runs(text) {
        match k {
            Class::Cjk => out.extend(run.iter().enumerate().map(|(n, (i, c))| Term {
                text: c.to_string(),
                at: *i..end_of(&run, n),
            })),
            _ => out.push(word(&run)),
        }
    }
    out
}

/// The tantivy tokenizer over one of the two splits.
#[derive(Clone, Copy)]
pub struct CjkTokenizer {
    split: fn(&str) -> Vec<Term>,
}

impl CjkTokenizer {
    pub fn bigram() -> Self {
        CjkTokenizer { split: bigrams }
    }

    pub fn unigram() -> Self {
        CjkTokenizer { split: unigrams }
    }
}

pub struct CjkTokenStream {
    terms: std::vec::IntoIter<Term>,
    token: Token,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream {
        CjkTokenStream {
            terms: (self.split)(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for CjkTokenStream {
    fn advance(&mut self) -> bool {
        let Some(t) = self.terms.next() else {
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = t.at.start;
        self.token.offset_to = t.at.end;
        self.token.text = t.text;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(terms: Vec<Term>) -> Vec<String> {
        terms.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn hangul_runs_split_into_bigrams_and_words_stay_whole() {
        assert_eq!(texts(bigrams("빈집정비")), ["빈집", "집정", "정비"]);
        assert_eq!(
            texts(bigrams("청년마을, GO鄕ALL來 2024년")),
            [
                "청년", "년마", "마을", "go", "鄕", "all", "來", "2024", "년"
            ]
        );
        assert_eq!(texts(bigrams("집")), ["집"]);
        assert_eq!(texts(bigrams(" ·-() ")), Vec::<String>::new());
        assert_eq!(texts(unigrams("빈 집A")), ["빈", "집", "a"]);
    }

    #[test]
    fn offsets_point_at_the_characters_of_each_term() {
        let text = "작은 빈집정비";
        for t in bigrams(text).into_iter().chain(unigrams(text)) {
            assert_eq!(&text[t.at.clone()].to_lowercase(), &t.text);
        }
    }

    #[test]
    fn the_tantivy_stream_gives_the_same_terms_with_positions() {
        let mut tok = CjkTokenizer::bigram();
        let mut stream = tok.token_stream("빈집정비 사업");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().text.clone(), stream.token().position));
        }
        assert_eq!(
            seen,
            [
                ("빈집".to_owned(), 0),
                ("집정".to_owned(), 1),
                ("정비".to_owned(), 2),
                ("사업".to_owned(), 3)
            ]
        );
    }
}
