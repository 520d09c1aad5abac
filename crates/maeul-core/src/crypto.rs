//! Personal data at rest (DESIGN.md §4): identifiers and narrative notes are sealed with
//! AES-256-GCM under a key kept outside the database, and looked up by a keyed hash.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a sealed value is. It is bound into the ciphertext as associated data, so a value
/// sealed as one kind cannot be passed off as another (say, a note copied into an id column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed {
    HouseholdId,
    VisitNote,
    PersonName,
    CaseNote,
    /// A resident's reference in the community centre's roster (voting codes, participation).
    ResidentRef,
    /// The same reference where an account is tied to it: a blind index of its own, so that
    /// the accounts cannot be joined to participation without the data key.
    ResidentAccount,
}

impl Sealed {
    fn label(self) -> &'static [u8] {
        match self {
            Sealed::HouseholdId => b"maeul:household_id",
            Sealed::VisitNote => b"maeul:visit_note",
            Sealed::PersonName => b"maeul:person_name",
            Sealed::CaseNote => b"maeul:case_note",
            Sealed::ResidentRef => b"maeul:resident_ref",
            Sealed::ResidentAccount => b"maeul:resident_account",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a data key is 32 bytes written in base64")]
    Malformed,
    #[error("a sealed value does not open with this key")]
    DoesNotOpen,
}

/// The data key: 32 random bytes. Two keys are derived from it, one for sealing and one for
/// the keyed hashes, so that neither use weakens the other.
pub struct DataKey {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    fingerprint: String,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.fingerprint)
    }
}

fn derive(key: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl DataKey {
    /// A new random key in its stored form (base64).
    pub fn generate() -> String {
        STANDARD.encode(rand::random::<[u8; 32]>())
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        let seal_key = derive(&bytes, b"maeul seal v1");
        let fingerprint = derive(&bytes, b"maeul fingerprint v1")[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            cipher: Aes256Gcm::new_from_slice(&seal_key).expect("32-byte key"),
            index_key: derive(&bytes, b"maeul index v1"),
            fingerprint,
        })
    }

    /// Names the key without revealing it: stored with the database so that a server given
    /// the wrong key refuses to start instead of writing data nobody can read.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Random nonce (12 bytes) followed by the ciphertext and tag.
    pub fn seal(&self, kind: Sealed, plaintext: &str) -> Vec<u8> {
        let nonce: [u8; 12] = rand::random();
        let mut out = nonce.to_vec();
        out.extend(
            self.cipher
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: plaintext.as_bytes(),
                        aad: kind.label(),
                    },
                )
                .expect("AES-GCM encryption of a short text does not fail"),
        );
        out
    }

    pub fn open(&self, kind: Sealed, sealed: &[u8]) -> Result<String, KeyError> {
        if sealed.len() < 12 {
            return Err(KeyError::DoesNotOpen);
        }
        let (nonce, body) = sealed.split_at(12);
        let plain = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: kind.label(),
                },
            )
            .map_err(|_| KeyError::DoesNotOpen)?;
        String::from_utf8(plain).map_err(|_| KeyError::DoesNotOpen)
    }

    /// A keyed hash of an identifier (hex), to find and deduplicate records without
    /// decrypting them; without the key it reveals nothing.
    pub fn blind_index(&self, kind: Sealed, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(kind.label());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// An identifier as shown on screen: the first two and last two characters, the rest masked.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let n = chars.len();
    if n <= 4 {
        return chars.first().map_or(String::new(), |c| {
            std::iter::once(*c)
                .chain(std::iter::repeat_n('*', n - 1))
                .collect()
        });
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 2 || i >= n - 2 { *c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_kind() {
        let key = DataKey::parse(&DataKey::generate()).unwrap();
        let other = DataKey::parse(&DataKey::generate()).unwrap();
        let sealed = key.seal(Sealed::VisitNote, "전기요금 3개월 체납, 상담 희망");
        assert!(!sealed.windows(6).any(|w| w == "전기".as_bytes()));
        assert_eq!(
            key.open(Sealed::VisitNote, &sealed).unwrap(),
            "전기요금 3개월 체납, 상담 희망"
        );
        assert_eq!(
            key.open(Sealed::HouseholdId, &sealed),
            Err(KeyError::DoesNotOpen)
        );
        assert_eq!(
            other.open(Sealed::VisitNote, &sealed),
            Err(KeyError::DoesNotOpen)
        );
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(
            key.open(Sealed::VisitNote, &tampered),
            Err(KeyError::DoesNotOpen)
        );
        // A fresh nonce each time: the same text never seals the same way twice.
        assert_ne!(
            sealed,
            key.seal(Sealed::VisitNote, "전기요금 3개월 체납, 상담 희망")
        );
    }

    #[test]
    fn blind_indexes_are_stable_per_key_and_differ_across_keys() {
        let text = DataKey::generate();
        let (a, b) = (
            DataKey::parse(&text).unwrap(),
            DataKey::parse(&text).unwrap(),
        );
        let other = DataKey::parse(&DataKey::generate()).unwrap();
        let id = "H0001234";
        assert_eq!(
            a.blind_index(Sealed::HouseholdId, id),
            b.blind_index(Sealed::HouseholdId, id)
        );
        assert_ne!(
            a.blind_index(Sealed::HouseholdId, id),
            other.blind_index(Sealed::HouseholdId, id)
        );
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), other.fingerprint());
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert_eq!(DataKey::parse("short").err(), Some(KeyError::Malformed));
        assert_eq!(
            DataKey::parse(&STANDARD.encode([0u8; 31])).err(),
            Some(KeyError::Malformed)
        );
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask("H0001234"), "H0****34");
        assert_eq!(mask("ABCDE"), "AB*DE");
        assert_eq!(mask("ABCD"), "A***");
        assert_eq!(mask(""), "");
    }
}
