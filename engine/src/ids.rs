//! Identifiers and join tokens in swarmkit's formats, drawn from the seeded RNG.
//!
//! swarmkit `identity.NewID`: 17 random bytes, top bit set, base 36, chars [1..26].
//! swarmkit `ca.GenerateJoinToken`: `SWMTKN-1-<digest b36, 50>-<secret b36, 25>`.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Length of an object ID.
pub const ID_LEN: usize = 25;
const DIGEST_B36_LEN: usize = 50;
const SECRET_B36_LEN: usize = 25;

/// Big-endian bytes to lowercase base 36 (no leading zeros; "0" for zero).
pub fn base36(bytes: &[u8]) -> String {
    // Little-endian 32-bit limbs, divided by 36 until zero.
    let mut limbs: Vec<u32> = Vec::with_capacity(bytes.len() / 4 + 1);
    for chunk in bytes.rchunks(4) {
        limbs.push(chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)));
    }
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut digits = Vec::with_capacity(bytes.len() * 2);
    while !limbs.is_empty() {
        let mut rem = 0u64;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 36) as u32;
            rem = cur % 36;
        }
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[rem as usize]);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

fn pad(s: String, width: usize) -> String {
    format!("{s:0>width$}")
}

/// The engine's one source of randomness: every ID, token and jitter comes from here,
/// so the same seed gives the same cluster.
#[derive(Debug, Clone)]
pub struct Entropy {
    rng: ChaCha8Rng,
}

impl Entropy {
    pub fn new(seed: u64) -> Self {
        Entropy { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        self.rng.fill_bytes(&mut b);
        b
    }

    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A value in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A new 25-character object ID.
    pub fn id(&mut self) -> String {
        let mut p = self.bytes::<17>();
        p[0] |= 0x80;
        base36(&p)[1..=ID_LEN].to_string()
    }

    /// A join token for the CA whose SHA-256 digest is `ca_digest`.
    pub fn join_token(&mut self, ca_digest: &[u8; 32]) -> String {
        let secret = self.bytes::<16>();
        format!("SWMTKN-1-{}-{}", pad(base36(ca_digest), DIGEST_B36_LEN), pad(base36(&secret), SECRET_B36_LEN))
    }
}

/// swarmkit `encryption.HumanReadableKey` of a new 32-byte key.
pub fn unlock_key(e: &mut Entropy) -> String {
    use base64::Engine;
    format!("SWMKEY-1-{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(e.bytes::<32>()))
}

/// SHA-256 of some bytes.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Hex encoding, lowercase.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

/// A join token, parsed as swarmkit's `ca.ParseJoinToken` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedToken {
    /// The CA digest the token names, as base 36 (compared textually).
    pub digest: String,
    pub secret: String,
}

/// Parses a join token; `None` means Docker's "invalid join token".
pub fn parse_join_token(token: &str) -> Option<ParsedToken> {
    let split: Vec<&str> = token.split('-').collect();
    let n = split.len();
    if n < 4 || split[0] != "SWMTKN" {
        return None;
    }
    match split[1] {
        "1" if n == 4 => {}
        "2" if n == 5 && (split[2] == "0" || split[2] == "1") => {}
        _ => return None,
    }
    let (digest, secret) = (split[n - 2], split[n - 1]);
    let is_b36 = |s: &str| s.bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase());
    if digest.len() != DIGEST_B36_LEN || secret.len() != SECRET_B36_LEN || !is_b36(digest) {
        return None;
    }
    // swarmkit parses the digest as a SHA-256: more than 256 bits is invalid.
    digest_bytes(digest)?;
    Some(ParsedToken { digest: digest.trim_start_matches('0').to_string(), secret: secret.to_string() })
}

/// A base 36 number as 32 big-endian bytes; None past 256 bits or on a bad digit.
pub fn digest_bytes(b36: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    for c in b36.chars() {
        let mut carry = c.to_digit(36)?;
        for b in bytes.iter_mut().rev() {
            let v = u32::from(*b) * 36 + carry;
            *b = (v & 0xff) as u8;
            carry = v >> 8;
        }
        if carry != 0 {
            return None;
        }
    }
    Some(bytes)
}

/// Base 36 digest of a CA, as it appears in its join tokens (without padding).
pub fn digest_b36(ca_digest: &[u8; 32]) -> String {
    base36(ca_digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base36_matches_known_values() {
        assert_eq!(base36(&[0]), "0");
        assert_eq!(base36(&[35]), "z");
        assert_eq!(base36(&[36]), "10");
        assert_eq!(base36(&[1, 0]), "74");
        assert_eq!(base36(&[0xff, 0xff, 0xff, 0xff]), "1z141z3");
    }

    #[test]
    fn ids_have_docker_shape() {
        let mut e = Entropy::new(7);
        for _ in 0..200 {
            let id = e.id();
            assert_eq!(id.len(), 25);
            assert!(id.bytes().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        }
    }

    #[test]
    fn tokens_have_docker_shape_and_parse_back() {
        let mut e = Entropy::new(1);
        let digest = sha256(b"ca");
        let t = e.join_token(&digest);
        assert_eq!(t.len(), 85, "{t}");
        assert!(t.starts_with("SWMTKN-1-"));
        let p = parse_join_token(&t).expect("parses");
        assert_eq!(p.digest, digest_b36(&digest));
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        for t in ["", "foo", "SWMTKN-1-abc-def", "SWMTKN-3-a-b-c", "XWMTKN-1-0000-0000"] {
            assert_eq!(parse_join_token(t), None, "{t}");
        }
    }

    #[test]
    fn digests_past_256_bits_are_invalid() {
        let big = format!("SWMTKN-1-{}-{}", "z".repeat(50), "0".repeat(25));
        assert_eq!(parse_join_token(&big), None);
        let d = sha256(b"x");
        assert_eq!(digest_bytes(&digest_b36(&d)), Some(d));
    }

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (Entropy::new(42), Entropy::new(42));
        assert_eq!(a.id(), b.id());
        assert_ne!(Entropy::new(1).id(), Entropy::new(2).id());
    }
}
