//! What is on disk: ciphertext only, and a wrong key changes nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use dealer_core::store::ListOrders;
use dealer_core::ErrorCode;

use dealer_core::keys::{MemoryKeyring, SecretStore};

use crate::{open_with_keyring, open_with_passphrase, PASSPHRASE};

/// Every file under `dir` with its bytes.
fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// Every file under `dir` with its length and a digest of its bytes, to compare cheaply and
/// print readably.
fn snapshot(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    read_all(dir)
        .into_iter()
        .map(|(name, bytes)| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (name, (bytes.len(), hasher.finish()))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn database_files_hold_no_customer_data_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    engine.store().seed_orders(300, 11).await.unwrap();
    let orders = engine
        .store()
        .list_orders(&ListOrders {
            status: None,
            limit: 1000,
            offset: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(orders.len(), 300);
    // Every first and last name of a seeded customer, and the domain of every email.
    let mut needles: Vec<String> = orders
        .iter()
        .flat_map(|o| {
            o.customer_name
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    needles.sort();
    needles.dedup();
    assert!(needles.len() > 20, "the seed spreads over many names");
    needles.push("@example.com".into());
    // While the store is open the WAL holds the latest pages: check it and the shm too.
    let open_files = read_all(dir.path());
    for file in ["dealer.db", "dealer.db-wal", "dealer.db-shm"] {
        assert!(open_files.contains_key(file), "{file} exists while open");
    }
    engine.close().await;
    let closed_files = read_all(dir.path());
    for (file, bytes) in open_files.iter().chain(closed_files.iter()) {
        for needle in &needles {
            assert!(!contains(bytes, needle), "{needle:?} readable in {file}");
        }
        assert!(
            !contains(bytes, "SQLite format 3"),
            "{file} has a plaintext SQLite header"
        );
        assert!(!contains(bytes, "USD-1001"), "a SKU is readable in {file}");
    }
    // The same scan finds plain text when it is there, so it can fail.
    assert!(contains(
        format!("xx{}yy", needles[0]).as_bytes(),
        &needles[0]
    ));
}

#[tokio::test]
async fn wrong_passphrase_is_a_clear_error_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    engine.store().seed_orders(20, 3).await.unwrap();
    engine.close().await;
    drop(engine);
    let before = snapshot(dir.path());

    let err = open_with_passphrase(dir.path(), "not the passphrase")
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::WrongKey);
    let message = err.to_string();
    assert!(message.contains("passphrase does not unlock"), "{message}");
    assert!(message.contains("Nothing was changed"), "{message}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a wrong key changed the files"
    );

    let engine = open_with_passphrase(dir.path(), PASSPHRASE).await.unwrap();
    assert_eq!(engine.store().count_orders().await.unwrap(), 20);
}

#[tokio::test]
async fn another_key_in_the_keyring_fails_clearly_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(MemoryKeyring::default());
    let engine = open_with_keyring(dir.path(), keyring.clone())
        .await
        .unwrap();
    engine.store().seed_orders(5, 1).await.unwrap();
    engine.close().await;
    drop(engine);
    let before = snapshot(dir.path());

    // Replace the stored key with another valid-looking key.
    let mut old = keyring.overwrite_all(&"11".repeat(32));
    assert_eq!(old.len(), 1, "one key for the store");
    let ((service, account), original) = old.remove(0);
    assert_eq!(
        service,
        dealer_core::APP_IDENTIFIER,
        "namespaced by the app identifier"
    );
    assert_eq!(account, format!("store-key:{}", store_id(dir.path())));
    let err = open_with_keyring(dir.path(), keyring.clone())
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::WrongKey);
    assert!(err.to_string().contains("key in the OS keyring"), "{err}");
    assert_eq!(snapshot(dir.path()), before);

    // No entry at all: KeyMissing, and no new key is made behind the dealer's back.
    keyring.clear();
    let err = open_with_keyring(dir.path(), keyring.clone())
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), ErrorCode::KeyMissing);
    assert!(keyring.is_empty());
    assert_eq!(snapshot(dir.path()), before);

    keyring
        .set(
            &service,
            &account,
            &dealer_core::secret::Sensitive::new(original),
        )
        .unwrap();
    let engine = open_with_keyring(dir.path(), keyring).await.unwrap();
    assert_eq!(engine.store().count_orders().await.unwrap(), 5);
}

fn store_id(dir: &Path) -> String {
    dealer_core::keys::Manifest::read(dir)
        .unwrap()
        .unwrap()
        .store_id
}

/// Copies every file of `from` into a new directory `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (name, bytes) in read_all(from) {
        std::fs::write(to.join(name), bytes).unwrap();
    }
}

#[tokio::test]
async fn a_checkpoint_cut_short_opens_with_everything_its_wal_holds() {
    // A process that stops in the middle of a checkpoint leaves the database file part-copied
    // from the WAL, and the WAL whole. Made here from a new store whose every page is still in
    // its WAL: the file as the checkpoint began to write it (its first page, the rest not yet
    // written), beside that WAL.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let engine = open_with_passphrase(&store, PASSPHRASE).await.unwrap();
    engine.store().seed_orders(20, 3).await.unwrap();
    let wal = std::fs::read(store.join("dealer.db-wal")).unwrap();
    assert!(!wal.is_empty(), "the store is in the WAL");
    engine.close().await;
    drop(engine);
    let whole = std::fs::read(store.join("dealer.db")).unwrap();
    let page = 4096;
    assert!(whole.len() > 4 * page);
    let mut torn = vec![0u8; whole.len()];
    torn[..page].copy_from_slice(&whole[..page]);

    // The file alone is not a store: that is the state being tested.
    let alone = dir.path().join("alone");
    copy_dir(&store, &alone);
    std::fs::write(alone.join("dealer.db"), &torn).unwrap();
    let err = open_with_passphrase(&alone, PASSPHRASE).await.err();
    assert!(err.is_some(), "the part-written file alone should not open");

    // With its WAL it is the whole store, and the key is not blamed.
    let cut_short = dir.path().join("cut-short");
    copy_dir(&alone, &cut_short);
    std::fs::write(cut_short.join("dealer.db-wal"), &wal).unwrap();
    let engine = open_with_passphrase(&cut_short, PASSPHRASE)
        .await
        .expect("a checkpoint cut short opens");
    assert_eq!(engine.store().count_orders().await.unwrap(), 20);
    assert_eq!(engine.store().integrity_check().await.unwrap(), "ok");
}
