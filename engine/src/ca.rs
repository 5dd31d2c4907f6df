//! The swarm's root CA, made as swarmkit (through cfssl) makes it: a self-signed ECDSA
//! P-256 certificate for `CN=swarm-ca`, valid 20 years from five minutes ago. The key
//! comes from the seeded source and ECDSA signing is deterministic (RFC 6979), so the
//! same seed gives the same certificate, and the join tokens carry its digest.

use crate::ids::{Entropy, sha256};
use crate::time::Timestamp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use sha1::{Digest, Sha1};
use std::time::Duration;

/// swarmkit `ca.RootCAExpiration`.
const CA_VALIDITY: Duration = Duration::from_secs(20 * 365 * 24 * 3600);
/// cfssl backdates certificates by five minutes.
const BACKDATE: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootCa {
    /// The certificate, PEM-encoded (the `TrustRoot` Docker shows).
    pub pem: String,
    /// DER of the issuer name, as `CertIssuerSubject` carries it (base64).
    pub subject_b64: String,
    /// DER of the subject public key info, as `CertIssuerPublicKey` carries it (base64).
    pub public_key_b64: String,
    /// SHA-256 of the PEM bytes: what join tokens name.
    pub digest: [u8; 32],
}

const OID_ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(o: &[u8]) -> Vec<u8> {
    tlv(0x06, o)
}

fn utc_time(t: Timestamp) -> Vec<u8> {
    // RFC 3339 "2026-11-22T03:10:00Z" -> UTCTime "261122031000Z"
    let s = t.rfc3339_nano();
    let digits: String = s[2..19].chars().filter(char::is_ascii_digit).collect();
    tlv(0x17, format!("{digits}Z").as_bytes())
}

/// `CN=swarm-ca`.
fn swarm_ca_name() -> Vec<u8> {
    let cn = seq(&[&oid(&[0x55, 0x04, 0x03]), &tlv(0x13, b"swarm-ca")]);
    seq(&[&tlv(0x31, &cn)])
}

fn pem(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

fn round_to_minute(t: Timestamp) -> Timestamp {
    const MIN: i64 = 60_000_000_000;
    Timestamp((t.0 + MIN / 2).div_euclid(MIN) * MIN)
}

impl RootCa {
    /// What Docker reports of this CA in a node's or the cluster's `TLSInfo`.
    pub fn tls_info(&self) -> crate::types::TlsInfo {
        crate::types::TlsInfo {
            trust_root: self.pem.clone(),
            cert_issuer_subject: self.subject_b64.clone(),
            cert_issuer_public_key: self.public_key_b64.clone(),
        }
    }

    /// A new root CA created at `now`.
    pub fn generate(entropy: &mut Entropy, now: Timestamp) -> RootCa {
        let key = loop {
            let bytes = entropy.bytes::<32>();
            if let Ok(k) = SigningKey::from_bytes(&bytes.into()) {
                break k;
            }
        };
        let point = key.verifying_key().to_encoded_point(false);
        let point = point.as_bytes();
        let mut serial = entropy.bytes::<20>();
        serial[0] = (serial[0] & 0x7f).max(1);

        let algorithm = seq(&[&oid(OID_ECDSA_SHA256)]);
        let name = swarm_ca_name();
        let not_before = round_to_minute(Timestamp(now.0 - BACKDATE.as_nanos() as i64));
        let validity = seq(&[&utc_time(not_before), &utc_time(not_before.plus(CA_VALIDITY))]);
        let bit_string = [&[0u8][..], point].concat();
        let spki = seq(&[&seq(&[&oid(OID_EC_PUBLIC_KEY), &oid(OID_P256)]), &tlv(0x03, &bit_string)]);
        let ski: [u8; 20] = Sha1::digest(point).into();
        let extensions = seq(&[
            &seq(&[&oid(&[0x55, 0x1d, 0x0f]), &tlv(0x01, &[0xff]), &tlv(0x04, &tlv(0x03, &[0x01, 0x06]))]),
            &seq(&[&oid(&[0x55, 0x1d, 0x13]), &tlv(0x01, &[0xff]), &tlv(0x04, &seq(&[&tlv(0x01, &[0xff])]))]),
            &seq(&[&oid(&[0x55, 0x1d, 0x0e]), &tlv(0x04, &tlv(0x04, &ski))]),
        ]);
        let tbs = seq(&[
            &tlv(0xa0, &tlv(0x02, &[0x02])),
            &tlv(0x02, &serial),
            &algorithm,
            &name,
            &validity,
            &name,
            &spki,
            &tlv(0xa3, &extensions),
        ]);
        let signature: Signature = key.sign(&tbs);
        let sig_der = signature.to_der();
        let sig_bits = [&[0u8][..], sig_der.as_bytes()].concat();
        let cert = seq(&[&tbs, &algorithm, &tlv(0x03, &sig_bits)]);
        let pem = pem(&cert);
        RootCa {
            digest: sha256(pem.as_bytes()),
            subject_b64: STANDARD.encode(&name),
            public_key_b64: STANDARD.encode(&spki),
            pem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_matches_swarmkit() {
        // CertIssuerSubject of a real swarm's CA.
        assert_eq!(STANDARD.encode(swarm_ca_name()), "MBMxETAPBgNVBAMTCHN3YXJtLWNh");
    }

    #[test]
    fn the_certificate_is_deterministic_and_shaped_like_dockers() {
        let now = Timestamp::parse_rfc3339("2026-11-22T03:15:31.4Z").expect("time");
        let a = RootCa::generate(&mut Entropy::new(3), now);
        let b = RootCa::generate(&mut Entropy::new(3), now);
        assert_eq!(a, b);
        assert!(a.pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIB"));
        // Valid from 03:11:00 (five minutes back, rounded) for twenty years, as Docker's.
        assert!(a.pem.contains("EzERMA8GA1UEAxMIc3dhcm0tY2EwHhcNMjYxMTIyMDMxMTAwWhcNNDYxMTE3MDMx"), "{}", a.pem);
        assert!(a.public_key_b64.starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));
    }
}
