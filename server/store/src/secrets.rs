//! Secrets Lightpath must be able to read back (an identity provider's client secret) are
//! sealed with the server's secret key before they are stored: XChaCha20-Poly1305 with a
//! random 192-bit nonce per value, so a copy of the database alone does not give them away.
//! The key comes from `LIGHTPATH_SECRET_KEY` or a key file beside the embedded database
//! (`server/src/config.rs`); servers sharing a database must share the key.

use crate::StoreError;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// The key secrets are sealed with: 32 bytes.
#[derive(Clone)]
pub struct SecretKey(chacha20poly1305::Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes.into())
    }

    /// A new random key.
    pub fn generate() -> SecretKey {
        SecretKey(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// The key as 64 hex digits (what the key file and `LIGHTPATH_SECRET_KEY` hold).
    pub fn to_hex(&self) -> String {
        crate::accounts::hex(self.0.as_slice())
    }

    /// Reads 64 hex digits.
    pub fn from_hex(text: &str) -> Option<SecretKey> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(SecretKey::from_bytes(bytes))
    }

    /// A keyed digest of `data` under `label`: the same for the same inputs on every server
    /// sharing the key, and unguessable without it.
    pub fn digest(&self, label: &str, data: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for part in [self.0.as_slice(), label.as_bytes(), &[0], data.as_bytes()] {
            hasher.update(part);
        }
        hasher.finalize().into()
    }

    /// Seals `plain`: the nonce and the ciphertext, as hex.
    pub fn seal(&self, plain: &str) -> Result<String, StoreError> {
        let cipher = XChaCha20Poly1305::new(&self.0);
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| StoreError::Corrupt("a secret could not be sealed".into()))?;
        Ok(format!("v1:{}:{}", crate::accounts::hex(nonce.as_slice()), crate::accounts::hex(&sealed)))
    }

    /// Opens what [`SecretKey::seal`] made; fails when it was sealed with another key.
    pub fn open(&self, sealed: &str) -> Result<String, StoreError> {
        let unreadable = || {
            StoreError::Corrupt(
                "a stored secret cannot be opened: was LIGHTPATH_SECRET_KEY changed, or do the servers sharing this database use different keys?"
                    .into(),
            )
        };
        let mut parts = sealed.split(':');
        let (Some("v1"), Some(nonce), Some(body), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(unreadable());
        };
        let (nonce, body) = (unhex(nonce).ok_or_else(unreadable)?, unhex(body).ok_or_else(unreadable)?);
        if nonce.len() != 24 {
            return Err(unreadable());
        }
        let plain = XChaCha20Poly1305::new(&self.0)
            .decrypt(XNonce::from_slice(&nonce), body.as_slice())
            .map_err(|_| unreadable())?;
        String::from_utf8(plain).map_err(|_| unreadable())
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key() {
        let key = SecretKey::generate();
        let sealed = key.seal("client-secret-1").unwrap();
        assert!(!sealed.contains("client-secret-1"));
        assert_ne!(sealed, key.seal("client-secret-1").unwrap(), "a new nonce every time");
        assert_eq!(key.open(&sealed).unwrap(), "client-secret-1");
        assert!(SecretKey::generate().open(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('0') { '1' } else { '0' });
        assert!(key.open(&tampered).is_err());
        assert!(key.open("plain").is_err());
        assert_eq!(SecretKey::from_hex(&key.to_hex()).unwrap().open(&sealed).unwrap(), "client-secret-1");
        assert!(SecretKey::from_hex("zz").is_none());
    }
}
