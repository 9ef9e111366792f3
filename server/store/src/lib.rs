//! `lightpath-store`: everything Lightpath keeps in a database.
//!
//! One query layer serves SQLite (the embedded default) and PostgreSQL (shared by several
//! servers): an `sqlx::AnyPool`, portable SQL with `$n` placeholders (both drivers accept
//! them), and only the types the Any driver carries — text, BIGINT, DOUBLE PRECISION.
//! Money is integer cents, times epoch milliseconds. Repositories return domain types.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
mod capacity;
mod catalog;
pub mod catalog_admin;
mod catalog_growth;
pub mod cloud_connections;
pub mod cloud_routers;
pub mod clouds;
pub mod designs;
pub mod factors;
pub mod feed;
pub mod invitations;
pub mod invoices;
pub mod listing;
pub mod maintenance;
mod network;
mod network_settings;
pub mod orders;
pub mod outages;
pub mod passkeys;
pub mod quotes;
pub mod secrets;
pub mod seed;
pub mod services;
pub mod sso;
pub mod usage;
mod vlans;
pub mod webhooks;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use accounts::AccountError;
pub use capacity::{Holding, ReserveError};
pub use catalog_admin::CatalogEditError;
pub use seed::SeedReport;
pub use vlans::VlanError;

/// Which database to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite file, created when missing.
    Sqlite(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl DatabaseTarget {
    /// Parses a `DATABASE_URL`: `postgres://…`/`postgresql://…` or `sqlite://path`/`sqlite:path`.
    pub fn parse(url: &str) -> Result<DatabaseTarget, StoreError> {
        let bad = |why: &str| StoreError::BadUrl(format!("{why} (got “{}”)", redact(url)));
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            sqlx::postgres::PgConnectOptions::from_str(url).map_err(|e| bad(&e.to_string()))?;
            Ok(DatabaseTarget::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(bad("a SQLite URL needs a file path, like sqlite://data/lightpath.db"));
            }
            Ok(DatabaseTarget::Sqlite(PathBuf::from(path)))
        } else {
            Err(bad("use postgres://user:password@host:5432/database or sqlite://path/to/file.db"))
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseTarget::Postgres(_))
    }

    /// For logs: the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseTarget::Sqlite(path) => format!("SQLite at {}", path.display()),
            DatabaseTarget::Postgres(url) => format!("PostgreSQL at {}", redact(url)),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("DATABASE_URL is not usable: {0}")]
    BadUrl(String),
    #[error("cannot create the database directory {path}: {source}")]
    DataDirectory { path: PathBuf, source: std::io::Error },
    #[error("cannot open the database ({target}): {source}")]
    Connect { target: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("seed data {file} is invalid: {problem}")]
    Seed { file: &'static str, problem: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The migrations in `migrations/`, embedded in the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    is_postgres: bool,
    cache: Arc<Cache>,
    feed: Arc<feed::Feed>,
    /// Whether Lightpath's staff must sign in with a second factor (see
    /// [`Store::requiring_staff_two_step`]).
    staff_two_step: bool,
    /// Seals the secrets stored to be read back (see [`secrets`]); none until the server sets it.
    secret_key: Option<secrets::SecretKey>,
}

/// What every order and recommendation reads and almost never changes, kept in memory: the
/// network (seeded, never edited), published price books (immutable once published) and the
/// catalog (re-read when `catalog_revision` moves, so every server sees an admin's edit).
#[derive(Debug, Default)]
struct Cache {
    sites: Mutex<Option<Vec<lightpath_domain::Site>>>,
    spans: Mutex<Option<Vec<lightpath_domain::Span>>>,
    products: Mutex<Option<(i64, Vec<lightpath_domain::Product>)>>,
    published_books: Mutex<HashMap<i64, lightpath_domain::PriceBook>>,
    /// The catalog revision and current price book version last read, and when (see
    /// [`CATALOG_FRESHNESS`]).
    versions: Mutex<Option<(std::time::Instant, CatalogVersions)>>,
}

/// How long a server trusts the catalog revision and the current price book version it read
/// last. Asking the database on every read cost a round trip on every page and API answer; an
/// edit made through this server is seen at once (it forgets what it read), one made through
/// another server sharing the database within this time.
pub const CATALOG_FRESHNESS: std::time::Duration = std::time::Duration::from_secs(1);

/// What the catalog on sale is at a moment: the catalog's revision and the current price
/// book's version. Two equal ones mean the same products at the same prices, so whatever was
/// made from one (a serialised answer) can be reused for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogVersions {
    revision: i64,
    price_book: Option<i64>,
}

/// Locks a cache entry; a panic elsewhere while it was held leaves plain data, still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    /// Opens (creating a SQLite file and its directory when missing) and checks the connection.
    pub async fn connect(target: &DatabaseTarget) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let url = match target {
            DatabaseTarget::Sqlite(path) => {
                ensure_parent_dir(path)?;
                format!("sqlite://{}?mode=rwc", path.display())
            }
            DatabaseTarget::Postgres(url) => url.clone(),
        };
        let connect_error = |source| StoreError::Connect { target: target.describe(), source };
        let options = AnyConnectOptions::from_str(&url).map_err(connect_error)?;
        let max_connections = if target.is_postgres() { 16 } else { 8 };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        if let DatabaseTarget::Sqlite(_) = target {
            // WAL lets readers work while a writer commits; it is a property of the file.
            // Switching a new file to WAL needs it to itself for a moment, so a second process
            // starting at the same instant gets "database is locked": wait and try again.
            let mut attempts_left = 50;
            loop {
                match sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await {
                    Ok(_) => break,
                    Err(sqlx::Error::Database(error)) if attempts_left > 0 && error.message().contains("locked") => {
                        attempts_left -= 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    Err(error) => return Err(connect_error(error)),
                }
            }
        }
        Ok(Store {
            pool,
            is_postgres: target.is_postgres(),
            cache: Arc::default(),
            feed: Arc::default(),
            staff_two_step: false,
            secret_key: None,
        })
    }

    /// Makes every staff session without a second factor open only the person's own pages,
    /// as an organisation's policy does for its members.
    pub fn requiring_staff_two_step(mut self, required: bool) -> Store {
        self.staff_two_step = required;
        self
    }

    /// The key secrets are sealed with (identity providers' client secrets).
    pub fn with_secret_key(mut self, key: secrets::SecretKey) -> Store {
        self.secret_key = Some(key);
        self
    }

    pub(crate) fn secret_key(&self) -> Result<&secrets::SecretKey, StoreError> {
        self.secret_key
            .as_ref()
            .ok_or_else(|| StoreError::Corrupt("the server has no secret key to seal secrets with".into()))
    }

    /// Runs pending migrations; fails fast on a migration error.
    ///
    /// PostgreSQL serialises concurrent migrators with an advisory lock. SQLite has no such
    /// lock, so when two processes start on one new file at the same moment the slower one
    /// fails on "table already exists"; it retries, finds the migration applied, and goes on.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut attempts_left = if self.is_postgres { 0 } else { 5 };
        loop {
            match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(error) if attempts_left > 0 => {
                    tracing::warn!(%error, "migration raced another process; retrying");
                    attempts_left -= 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Loads the versioned seed files (catalog, price book, network) that are not loaded yet.
    pub async fn seed(&self) -> Result<SeedReport, StoreError> {
        let report = seed::apply(self).await;
        self.catalog_changed();
        report
    }

    /// Loads the demo organisations and accounts (README.md) unless they are loaded already.
    /// Returns whether this call loaded them.
    pub async fn seed_demo_accounts(&self) -> Result<bool, StoreError> {
        accounts::seed_demo(self).await
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
    /// "database is locked" when another writer got in between, instead of waiting its turn.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        if self.is_postgres {
            self.pool.begin().await
        } else {
            self.pool.begin_with("BEGIN IMMEDIATE").await
        }
    }

    /// Takes the organisation's row for the rest of `tx`, so writers that check an
    /// organisation-wide limit (credit, live tokens, webhooks) run one after another: PostgreSQL
    /// holds the row lock until the transaction ends; SQLite's `BEGIN IMMEDIATE` already has a
    /// single writer, and there the update is a no-op.
    pub(crate) async fn lock_organisation(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        organisation: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE organisations SET credit_limit_cents = credit_limit_cents WHERE id = $1")
            .bind(organisation)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub fn is_postgres(&self) -> bool {
        self.is_postgres
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// True once [`Store::close`] was called: background workers stop instead of retrying.
    pub fn is_closed(&self) -> bool {
        self.pool.is_closed()
    }
}

fn ensure_parent_dir(path: &Path) -> Result<(), StoreError> {
    let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDirectory { path: dir.to_owned(), source })?;
    // create_dir_all succeeds on an existing read-only directory: probe that we can write.
    let probe = dir.join(".lightpath-write-probe");
    std::fs::write(&probe, b"").map_err(|source| StoreError::DataDirectory { path: dir.to_owned(), source })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_database_urls() {
        assert_eq!(
            DatabaseTarget::parse("sqlite://data/lp.db").unwrap(),
            DatabaseTarget::Sqlite(PathBuf::from("data/lp.db"))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:/tmp/x.db?mode=rwc").unwrap(),
            DatabaseTarget::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert!(DatabaseTarget::parse("postgres://u:p@127.0.0.1:5432/db").unwrap().is_postgres());
        for bad in ["", "mysql://x", "sqlite://", "sqlite::memory:", "postgres://u:p@host:notaport/db"] {
            assert!(DatabaseTarget::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn never_logs_passwords() {
        let target = DatabaseTarget::parse("postgres://app:s3cret@db:5432/lp").unwrap();
        assert_eq!(target.describe(), "PostgreSQL at postgres://app:***@db:5432/lp");
        let error = DatabaseTarget::parse("postgres://app:s3cret@db:port/lp").unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
    }
}
