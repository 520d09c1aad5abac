//! One-time codes people type from paper: voting codes and certificate verification codes.
//! 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown in groups of
//! four. About 59 bits: not guessable online.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(String);

const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LEN: usize = 12;

impl Code {
    pub fn generate() -> Code {
        use rand::Rng;
        let mut rng = rand::rng();
        Code(
            (0..CODE_LEN)
                .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
                .collect(),
        )
    }

    /// Reads a code as a person types it: any case, with or without dashes and spaces.
    pub fn parse(s: &str) -> Option<Code> {
        let code: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b)))
            .then_some(Code(code))
    }

    /// As printed: `ABCD-EFGH-JKMN`.
    pub fn display(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
    }

    /// The SHA-256 of the code, for a database that must not keep the code itself.
    pub fn digest(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
