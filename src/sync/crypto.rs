//! The pairing code and what it protects: a code of 140 random bits shown in
//! groups of four, the key HKDF-SHA256 derives from it, and each folder file
//! sealed with XChaCha20-Poly1305 under that key (RustCrypto crates; nothing
//! hand-rolled). A file is `MAGIC`, a format byte, a random 24-byte nonce and
//! the ciphertext; the magic and format byte are authenticated too.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// Crockford's base32: no I, L, O or U to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 28 characters of 5 bits: 140 bits, shown as 7 groups of 4.
const CODE_CHARS: usize = 28;

pub const MAGIC: &[u8; 6] = b"trsync";
/// The file format this troth writes and reads.
pub const FORMAT: u8 = 1;
const NONCE: usize = 24;

/// A fresh pairing code, e.g. `KX7Q-M2PD-9WRT-HB4N-C6YE-TJ3F-85AZ`.
pub fn new_code() -> Result<String, String> {
    let mut bytes = [0u8; CODE_CHARS];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the system: {e}"))?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// The code as typed, normalised: case, spaces and dashes do not matter, and
/// the letters people confuse with digits read as those digits.
pub fn normalise(code: &str) -> Option<String> {
    let mut out = String::new();
    for c in code.chars() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// The folder key: HKDF-SHA256 of the normalised code.
pub fn derive_key(normalised_code: &str) -> [u8; 32] {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(b"troth sync folder v1"), normalised_code.as_bytes());
    let mut key = [0u8; 32];
    hk.expand(b"file encryption key", &mut key).expect("32 bytes is a valid HKDF-SHA256 length");
    key
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Encrypt and authenticate `plain` into the bytes of a folder file.
pub fn seal(key: &[u8], plain: &[u8]) -> Result<Vec<u8>, String> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| "the sync key is not 32 bytes".to_string())?;
    let mut nonce = [0u8; NONCE];
    getrandom::fill(&mut nonce).map_err(|e| format!("no randomness from the system: {e}"))?;
    let mut header = MAGIC.to_vec();
    header.push(FORMAT);
    let sealed = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad: &header })
        .map_err(|_| "could not encrypt".to_string())?;
    let mut out = header;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Unreadable {
    NotTroth,
    Newer(u8),
    Truncated,
    /// A wrong pairing code, or bytes changed by someone without it.
    WrongKey,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::NotTroth => write!(f, "not a troth sync file"),
            Unreadable::Newer(v) => write!(f, "written by a newer troth (sync format {v}; this troth reads {FORMAT})"),
            Unreadable::Truncated => write!(f, "cut short (truncated)"),
            Unreadable::WrongKey => {
                write!(
                    f,
                    "does not open with this ledger's pairing code (another code, or changed after it was written)"
                )
            }
        }
    }
}

/// Check and decrypt the bytes of a folder file.
pub fn open(key: &[u8], bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    if bytes.len() < MAGIC.len() + 1 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(&bytes[..bytes.len().min(MAGIC.len())]) && !bytes.is_empty() {
            Unreadable::Truncated
        } else {
            Unreadable::NotTroth
        });
    }
    let format = bytes[MAGIC.len()];
    if format > FORMAT {
        return Err(Unreadable::Newer(format));
    }
    if format != FORMAT {
        return Err(Unreadable::NotTroth);
    }
    let body = &bytes[MAGIC.len() + 1..];
    if body.len() < NONCE + 16 {
        return Err(Unreadable::Truncated);
    }
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| Unreadable::WrongKey)?;
    let nonce: [u8; NONCE] = body[..NONCE].try_into().expect("checked length");
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: &body[NONCE..], aad: &bytes[..MAGIC.len() + 1] })
        .map_err(|_| Unreadable::WrongKey)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_at_least_128_random_bits_in_short_groups() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.split('-').count(), 7);
        assert!(a.split('-').all(|g| g.len() == 4));
        const { assert!(CODE_CHARS * 5 >= 128) };
        assert_eq!(normalise(&a.to_lowercase().replace('-', " ")).unwrap(), a.replace('-', ""));
        assert!(normalise("ABCD").is_none());
    }

    #[test]
    fn sealed_files_open_only_with_the_same_key_and_unchanged() {
        let k = derive_key(&normalise(&new_code().unwrap()).unwrap());
        let other = derive_key(&normalise(&new_code().unwrap()).unwrap());
        let f = seal(&k, b"hello").unwrap();
        assert_eq!(open(&k, &f).unwrap(), b"hello");
        assert_eq!(open(&other, &f), Err(Unreadable::WrongKey));
        let mut flipped = f.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(open(&k, &flipped), Err(Unreadable::WrongKey));
        assert_eq!(open(&k, &f[..10]), Err(Unreadable::Truncated));
        assert_eq!(open(&k, &f[..3]), Err(Unreadable::Truncated));
        assert_eq!(open(&k, b"garbage garbage garbage"), Err(Unreadable::NotTroth));
        let mut newer = f.clone();
        newer[MAGIC.len()] = FORMAT + 1;
        assert_eq!(open(&k, &newer), Err(Unreadable::Newer(FORMAT + 1)));
    }
}
