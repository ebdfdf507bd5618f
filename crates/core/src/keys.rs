//! The key that unlocks the store: a random 256-bit key kept in the OS keyring, or, where no
//! keyring answers, a key derived from the dealer's passphrase with Argon2id.
//!
//! `store.json` beside the database says which of the two a store uses (and, for a passphrase,
//! the Argon2id salt and cost). It holds nothing secret. A key is only ever made for a store that
//! does not exist yet: an existing store whose key cannot be found is an error, never a reason to
//! make a new key.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::paths::MANIFEST_FILE;
use crate::secret::Sensitive;
use crate::{Error, Result, APP_IDENTIFIER};

/// Environment variable holding a passphrase for headless use.
pub const PASSPHRASE_ENV: &str = "DEALER_PASSPHRASE";

/// How a store's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", ts(rename_all = "snake_case"))]
pub enum KeySource {
    Keyring,
    Passphrase,
}

/// Argon2id cost and salt for a passphrase-derived key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    pub salt_hex: String,
}

impl KdfParams {
    /// The Argon2id cost of a new passphrase store: 64 MiB and 3 passes (RFC 9106's second
    /// recommended option), about 0.2 s on this project's 2-core test machine: an attacker
    /// with the stolen file pays that per guess. The store file keeps the cost it was made with,
    /// so stores made at the older 19 MiB / 2 passes open as before.
    fn generate() -> Self {
        let mut salt = [0_u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self {
            algorithm: "argon2id".into(),
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
            salt_hex: hex::encode(salt),
        }
    }
}

/// `store.json`: which key a store uses. No secret in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Random id naming the store's keyring entry, so two data dirs never share a key.
    pub store_id: String,
    pub key_source: KeySource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
}

impl Manifest {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(MANIFEST_FILE)
    }

    pub fn read(data_dir: &Path) -> Result<Option<Self>> {
        let path = Self::path(data_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(Error::io(format!("reading {}", path.display()), err)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|err| Error::BadManifest {
                path: path.clone(),
                message: err.to_string(),
            })
    }

    fn write(&self, data_dir: &Path) -> Result<()> {
        let path = Self::path(data_dir);
        let partial = data_dir.join(format!("{MANIFEST_FILE}.partial"));
        let text = serde_json::to_string_pretty(self).map_err(|err| Error::BadManifest {
            path: path.clone(),
            message: err.to_string(),
        })?;
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|err| Error::io(format!("writing {}", path.display()), err))
    }

    fn keyring_account(&self) -> String {
        format!("store-key:{}", self.store_id)
    }
}

/// A 256-bit SQLCipher key.
pub struct StoreKey(Sensitive<[u8; 32]>);

impl StoreKey {
    fn random() -> Self {
        let mut bytes = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(Sensitive::new(bytes))
    }

    fn from_hex(text: &str) -> Option<Self> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let array: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self(Sensitive::new(array)))
    }

    fn to_hex(&self) -> Sensitive<String> {
        Sensitive::new(hex::encode(self.0.expose()))
    }

    /// The value of `PRAGMA key` for a raw key: `"x'…'"`, inner quotes included.
    pub(crate) fn pragma_value(&self) -> Sensitive<String> {
        Sensitive::new(format!("\"x'{}'\"", self.to_hex().expose()))
    }
}

/// What the front end offers to unlock a store with.
#[derive(Debug, Default, Clone)]
pub struct Unlock {
    /// A passphrase typed by the dealer or taken from `DEALER_PASSPHRASE`. Used for stores that
    /// were made with one, and to make a new store where it is given.
    pub passphrase: Option<Sensitive<String>>,
}

impl Unlock {
    /// Reads `DEALER_PASSPHRASE` once and removes it from the environment, so no process this
    /// one starts (the web view's, a browser the dealer opens from the app) inherits it; an
    /// empty value counts as unset. Call first thing in `main`, before any thread starts, and
    /// keep the result for every later unlock.
    pub fn take_from_env() -> Self {
        let passphrase = std::env::var(PASSPHRASE_ENV)
            .ok()
            .filter(|value| !value.is_empty())
            .map(Sensitive::new);
        if std::env::var_os(PASSPHRASE_ENV).is_some() {
            std::env::remove_var(PASSPHRASE_ENV);
        }
        Self { passphrase }
    }

    pub fn with_passphrase(passphrase: String) -> Self {
        Self {
            passphrase: Some(Sensitive::new(passphrase)),
        }
    }
}

/// The key for the store in `data_dir`, and how it is kept. `is_new` says whether the store
/// is being made now (no database file yet).
pub(crate) fn resolve(
    data_dir: &Path,
    unlock: &Unlock,
    is_new: bool,
    keyring: &dyn SecretStore,
) -> Result<(StoreKey, Manifest)> {
    match Manifest::read(data_dir)? {
        Some(manifest) => {
            let key = existing_key(data_dir, &manifest, unlock, keyring)?;
            Ok((key, manifest))
        }
        None if is_new => create_key(data_dir, unlock, keyring),
        None => Err(Error::BadManifest {
            path: Manifest::path(data_dir),
            message: "the database exists but its manifest is missing, so its key cannot be \
                      found"
                .into(),
        }),
    }
}

fn existing_key(
    data_dir: &Path,
    manifest: &Manifest,
    unlock: &Unlock,
    keyring: &dyn SecretStore,
) -> Result<StoreKey> {
    match manifest.key_source {
        KeySource::Keyring => {
            let account = manifest.keyring_account();
            match keyring.get(APP_IDENTIFIER, &account)? {
                Some(hex) => StoreKey::from_hex(hex.expose()).ok_or(Error::WrongKey {
                    data_dir: data_dir.to_path_buf(),
                    source_name: "key in the OS keyring",
                }),
                None => Err(Error::KeyMissing {
                    data_dir: data_dir.to_path_buf(),
                    service: APP_IDENTIFIER.into(),
                    account,
                }),
            }
        }
        KeySource::Passphrase => {
            let passphrase =
                unlock
                    .passphrase
                    .as_ref()
                    .ok_or_else(|| Error::PassphraseRequired {
                        data_dir: data_dir.to_path_buf(),
                    })?;
            let params = manifest.kdf.as_ref().ok_or_else(|| Error::BadManifest {
                path: Manifest::path(data_dir),
                message: "a passphrase store without its key-derivation settings".into(),
            })?;
            derive(passphrase, params, data_dir)
        }
    }
}

fn create_key(
    data_dir: &Path,
    unlock: &Unlock,
    keyring: &dyn SecretStore,
) -> Result<(StoreKey, Manifest)> {
    let mut id = [0_u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut id);
    let store_id = hex::encode(id);
    let manifest;
    let key;
    if let Some(passphrase) = &unlock.passphrase {
        validate_new_passphrase(passphrase)?;
        let params = KdfParams::generate();
        key = derive(passphrase, &params, data_dir)?;
        manifest = Manifest {
            format: 1,
            store_id,
            key_source: KeySource::Passphrase,
            kdf: Some(params),
        };
    } else {
        key = StoreKey::random();
        manifest = Manifest {
            format: 1,
            store_id,
            key_source: KeySource::Keyring,
            kdf: None,
        };
        let account = manifest.keyring_account();
        keyring.set(APP_IDENTIFIER, &account, &key.to_hex())?;
        // Read it back: some keyrings accept a write they cannot later serve.
        let stored = keyring.get(APP_IDENTIFIER, &account)?;
        if stored.as_ref().map(|s| s.expose().as_str()) != Some(key.to_hex().expose().as_str()) {
            return Err(Error::KeyringUnavailable {
                detail: "the keyring accepted the key but did not return it".into(),
            });
        }
    }
    manifest.write(data_dir)?;
    tracing::info!(data_dir = %data_dir.display(), source = ?manifest.key_source, "made a new store key");
    Ok((key, manifest))
}

fn validate_new_passphrase(passphrase: &Sensitive<String>) -> Result<()> {
    if passphrase.expose().chars().count() < 8 {
        return Err(Error::invalid(
            "passphrase",
            "use at least 8 characters; there is no way to recover a forgotten passphrase",
        ));
    }
    Ok(())
}

fn derive(passphrase: &Sensitive<String>, params: &KdfParams, data_dir: &Path) -> Result<StoreKey> {
    let bad = |message: String| Error::BadManifest {
        path: Manifest::path(data_dir),
        message,
    };
    if params.algorithm != "argon2id" {
        return Err(bad(format!(
            "unknown key derivation {:?}",
            params.algorithm
        )));
    }
    let salt = hex::decode(&params.salt_hex).map_err(|err| bad(format!("salt: {err}")))?;
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|err| bad(format!("argon2 settings: {err}")))?;
    let mut bytes = [0_u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(passphrase.expose().as_bytes(), &salt, &mut bytes)
        .map_err(|err| bad(format!("argon2: {err}")))?;
    Ok(StoreKey(Sensitive::new(bytes)))
}

/// Where store keys are kept: the OS keyring in the app, a map in unit tests.
pub trait SecretStore: Send + Sync {
    fn get(&self, service: &str, account: &str) -> Result<Option<Sensitive<String>>>;
    fn set(&self, service: &str, account: &str, secret: &Sensitive<String>) -> Result<()>;
    /// Removes the entry; a missing one is not an error.
    fn delete(&self, service: &str, account: &str) -> Result<()>;
}

/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct OsKeyring;

impl OsKeyring {
    fn entry(service: &str, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(service, account).map_err(keyring_unavailable)
    }
}

impl SecretStore for OsKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Option<Sensitive<String>>> {
        match Self::entry(service, account)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(keyring_unavailable(err)),
        }
    }

    fn set(&self, service: &str, account: &str, secret: &Sensitive<String>) -> Result<()> {
        Self::entry(service, account)?
            .set_password(secret.expose())
            .map_err(keyring_unavailable)
    }

    fn delete(&self, service: &str, account: &str) -> Result<()> {
        match Self::entry(service, account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_unavailable(err)),
        }
    }
}

/// A keyring in memory, for tests and benchmarks of everything but the OS keyring itself (which
/// the end-to-end tests exercise through the real Secret Service).
#[derive(Default)]
pub struct MemoryKeyring(std::sync::Mutex<std::collections::HashMap<(String, String), String>>);

impl MemoryKeyring {
    fn entries(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<(String, String), String>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces every stored secret with `value` (a test of what a wrong key does).
    pub fn overwrite_all(&self, value: &str) -> Vec<((String, String), String)> {
        let mut entries = self.entries();
        let old: Vec<_> = entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for secret in entries.values_mut() {
            *secret = value.to_string();
        }
        old
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    pub fn clear(&self) {
        self.entries().clear();
    }
}

impl SecretStore for MemoryKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Option<Sensitive<String>>> {
        let key = (service.to_string(), account.to_string());
        Ok(self.entries().get(&key).cloned().map(Sensitive::new))
    }

    fn set(&self, service: &str, account: &str, secret: &Sensitive<String>) -> Result<()> {
        let key = (service.to_string(), account.to_string());
        self.entries().insert(key, secret.expose().clone());
        Ok(())
    }

    fn delete(&self, service: &str, account: &str) -> Result<()> {
        self.entries()
            .remove(&(service.to_string(), account.to_string()));
        Ok(())
    }
}

fn keyring_unavailable(err: keyring::Error) -> Error {
    // keyring's messages name the platform failure (no D-Bus session, no Secret Service, a
    // locked collection) and never the secret.
    Error::KeyringUnavailable {
        detail: err.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) struct NoKeyring;

    impl SecretStore for NoKeyring {
        fn get(&self, _: &str, _: &str) -> Result<Option<Sensitive<String>>> {
            Err(Error::KeyringUnavailable {
                detail: "no Secret Service on the session bus".into(),
            })
        }
        fn set(&self, _: &str, _: &str, _: &Sensitive<String>) -> Result<()> {
            self.get("", "").map(|_| ())
        }
        fn delete(&self, _: &str, _: &str) -> Result<()> {
            self.get("", "").map(|_| ())
        }
    }

    #[test]
    fn new_keyring_store_keeps_its_key_in_the_keyring_only() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = MemoryKeyring::default();
        let (key, manifest) = resolve(dir.path(), &Unlock::default(), true, &keyring).unwrap();
        assert_eq!(manifest.key_source, KeySource::Keyring);
        let manifest_text = std::fs::read_to_string(Manifest::path(dir.path())).unwrap();
        assert!(!manifest_text.contains(key.to_hex().expose().as_str()));
        let (again, _) = resolve(dir.path(), &Unlock::default(), false, &keyring).unwrap();
        assert_eq!(again.0.expose(), key.0.expose());
    }

    #[test]
    fn missing_keyring_entry_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        resolve(
            dir.path(),
            &Unlock::default(),
            true,
            &MemoryKeyring::default(),
        )
        .unwrap();
        let err = resolve(
            dir.path(),
            &Unlock::default(),
            false,
            &MemoryKeyring::default(),
        )
        .err()
        .unwrap();
        assert_eq!(err.code(), crate::ErrorCode::KeyMissing);
    }

    #[test]
    fn without_keyring_a_new_store_asks_for_a_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve(dir.path(), &Unlock::default(), true, &NoKeyring)
            .err()
            .unwrap();
        assert_eq!(err.code(), crate::ErrorCode::KeyringUnavailable);
        assert!(err.to_string().contains("DEALER_PASSPHRASE"), "{err}");
        assert!(
            Manifest::read(dir.path()).unwrap().is_none(),
            "nothing written"
        );
    }

    #[test]
    fn passphrase_store_derives_the_same_key_and_needs_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let unlock = Unlock::with_passphrase("correct horse battery".into());
        let (key, manifest) = resolve(dir.path(), &unlock, true, &NoKeyring).unwrap();
        assert_eq!(manifest.key_source, KeySource::Passphrase);
        let (again, _) = resolve(dir.path(), &unlock, false, &NoKeyring).unwrap();
        assert_eq!(again.0.expose(), key.0.expose());
        let other = Unlock::with_passphrase("another passphrase".into());
        let (different, _) = resolve(dir.path(), &other, false, &NoKeyring).unwrap();
        assert_ne!(different.0.expose(), key.0.expose());
        let err = resolve(dir.path(), &Unlock::default(), false, &NoKeyring)
            .err()
            .unwrap();
        assert_eq!(err.code(), crate::ErrorCode::PassphraseRequired);
    }

    #[test]
    fn a_new_passphrase_store_costs_64_mib_and_3_passes_and_an_older_one_keeps_its_cost() {
        let dir = tempfile::tempdir().unwrap();
        let unlock = Unlock::with_passphrase("correct horse battery".into());
        let (_, manifest) = resolve(dir.path(), &unlock, true, &NoKeyring).unwrap();
        let kdf = manifest.kdf.unwrap();
        assert!(kdf.memory_kib >= 64 * 1024, "{kdf:?}");
        assert!(kdf.iterations >= 3, "{kdf:?}");

        // A store made with the older cost: its manifest says so, and that cost is used.
        let old = tempfile::tempdir().unwrap();
        let older = KdfParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            ..kdf.clone()
        };
        let passphrase = Sensitive::new("correct horse battery".to_string());
        let expected = derive(&passphrase, &older, old.path()).unwrap();
        Manifest {
            format: 1,
            store_id: "0123456789abcdef".into(),
            key_source: KeySource::Passphrase,
            kdf: Some(older),
        }
        .write(old.path())
        .unwrap();
        let (key, kept) = resolve(old.path(), &unlock, false, &NoKeyring).unwrap();
        assert_eq!(key.0.expose(), expected.0.expose());
        assert_eq!(kept.kdf.unwrap().memory_kib, 19 * 1024);
        assert_ne!(
            key.0.expose(),
            derive(&passphrase, &kdf, old.path()).unwrap().0.expose(),
            "the cost is part of the key"
        );
    }

    #[test]
    fn short_new_passphrase_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve(
            dir.path(),
            &Unlock::with_passphrase("short".into()),
            true,
            &NoKeyring,
        )
        .err()
        .unwrap();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
    }

    #[test]
    fn pragma_value_has_inner_quotes() {
        let key = StoreKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(
            key.pragma_value().expose(),
            &format!("\"x'{}'\"", "ab".repeat(32))
        );
        assert_eq!(format!("{:?}", key.pragma_value()), "<redacted>");
    }
}
