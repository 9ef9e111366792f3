//! Configuration from the environment, with documented defaults (see README.md).
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `LIGHTPATH_ADDR` (or `LEPTOS_SITE_ADDR`) | `127.0.0.1:3000` | address to listen on |
//! | `LIGHTPATH_DATA_DIR` | `data` | where the embedded SQLite database lives |
//! | `DATABASE_URL` | `sqlite://$LIGHTPATH_DATA_DIR/lightpath.db` | `postgres://…` for PostgreSQL |
//! | `LEPTOS_SITE_ROOT` | `target/site` | the built site (wasm, JS, CSS, assets) |
//! | `LIGHTPATH_LOG_FORMAT` | `text` | `text` or `json` |
//! | `LIGHTPATH_DEMO_DATA` | `true` on loopback with SQLite, else `false` | the demo accounts |
//! | `LEPTOS_HASH_FILES` | `false` | the built files have hashed names (set by cargo-leptos) |
//! | `LIGHTPATH_TRUSTED_PROXIES` | none | comma-separated addresses of reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed |
//! | `LIGHTPATH_SECRET_KEY` | a key file `$LIGHTPATH_DATA_DIR/secret.key`, made on first start | 64 hex digits sealing stored secrets (identity providers' client secrets); servers sharing a database must share it |
//! | `RUST_LOG` | `info` | log filter |

use lightpath_store::{DatabaseTarget, StoreError};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

const DEFAULT_ADDR: &str = "127.0.0.1:3000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: DatabaseTarget,
    pub site_root: String,
    pub log_format: LogFormat,
    /// Load the demo organisations and accounts (README.md) at start.
    pub demo_data: bool,
    /// Lightpath's staff must sign in with a second factor (`LIGHTPATH_STAFF_TWO_STEP`:
    /// `required`, the default without demo data, or `optional`).
    pub staff_two_step: bool,
    /// Sign-in and sign-up attempts allowed per client address per minute.
    pub auth_attempts_per_minute: u32,
    /// REST API requests allowed per API token per minute (on each server).
    pub api_requests_per_minute: u32,
    /// How webhooks are sent: `LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE=true` allows `http://` and
    /// private addresses (tests and demos); retries start after 10 s and double, 8 attempts.
    pub webhooks: crate::webhooks::WebhookSettings,
    /// Provisioning workers on this server (0: this server only serves; others provision).
    pub provisioning_workers: usize,
    /// The built files under `/pkg` have content-hashed names (cargo-leptos `hash-files`; it
    /// sets `LEPTOS_HASH_FILES=true` for the server it starts): they are cached for a year.
    pub hash_files: bool,
    /// Reverse proxies in front of this server (TLS ends there): only from these peers are
    /// `X-Forwarded-For` (the client's address, for rate limits) and `X-Forwarded-Proto` (HTTPS,
    /// for `Strict-Transport-Security`) believed. Anyone can send those headers.
    pub trusted_proxies: Vec<IpAddr>,
    /// `LIGHTPATH_CLOUD_ACCEPTANCE_DAYS` (1–90, on the network's clock): how long a cloud
    /// connection waits for the buyer's acceptance before it is released. Unset: the stored
    /// setting stays (7 days in a new database).
    pub cloud_acceptance_days: Option<u32>,
    /// The key that seals stored secrets (identity providers' client secrets):
    /// `LIGHTPATH_SECRET_KEY` (64 hex digits; servers sharing a database must share it), else
    /// a key file made on first start beside the embedded database.
    pub secret_key: SecretKeySource,
}

/// Where the server's secret key comes from.
#[derive(Debug, Clone)]
pub enum SecretKeySource {
    Given(lightpath_store::secrets::SecretKey),
    /// Read from this file, or written to it (readable by the server's user only) when missing.
    File(PathBuf),
}

impl Config {
    /// The secret key, made and kept in its file on first start when none was given.
    pub fn secret_key(&self) -> Result<lightpath_store::secrets::SecretKey, StoreError> {
        use lightpath_store::secrets::SecretKey;
        let path = match &self.secret_key {
            SecretKeySource::Given(key) => return Ok(key.clone()),
            SecretKeySource::File(path) => path,
        };
        let unusable = |why: String| StoreError::Corrupt(format!("the secret key file {}: {why}", path.display()));
        if let Ok(text) = std::fs::read_to_string(path) {
            return SecretKey::from_hex(&text).ok_or_else(|| unusable("does not hold 64 hex digits".into()));
        }
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|error| unusable(error.to_string()))?;
        }
        let key = SecretKey::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, key.to_hex().as_bytes())
                    .map_err(|error| unusable(error.to_string()))?;
                if self.database.is_postgres() {
                    tracing::warn!(path = %path.display(), "made a secret key for this server: servers sharing the database need the same one (LIGHTPATH_SECRET_KEY)");
                }
                Ok(key)
            }
            // Another process starting at the same moment wrote it first.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(|error| unusable(error.to_string()))?;
                SecretKey::from_hex(&text).ok_or_else(|| unusable("does not hold 64 hex digits".into()))
            }
            Err(error) => Err(unusable(error.to_string())),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{variable} “{value}” is not an address: use host:port, like 127.0.0.1:3000 (or 0.0.0.0:3000 to listen on every interface)")]
    BadAddress { variable: &'static str, value: String },
    #[error("LIGHTPATH_LOG_FORMAT “{0}” is not a log format: use text or json")]
    BadLogFormat(String),
    #[error("LIGHTPATH_DEMO_DATA “{0}” is not a switch: use true or false")]
    BadDemoData(String),
    #[error("LIGHTPATH_STAFF_TWO_STEP “{0}” is not a choice: use required or optional")]
    BadStaffTwoStep(String),
    #[error(
        "LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE “{0}” is not a number of attempts: use a whole number from 1 to 10000"
    )]
    BadAuthAttempts(String),
    #[error("LIGHTPATH_API_REQUESTS_PER_MINUTE “{0}” is not a request rate: use a whole number from 1 to 1000000")]
    BadApiRequests(String),
    #[error("LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE “{0}” must be true or false")]
    BadWebhooksAllowPrivate(String),
    #[error("LIGHTPATH_PROVISIONING_WORKERS “{0}” is not a number of workers: use a whole number from 0 to 64")]
    BadWorkers(String),
    #[error("LIGHTPATH_CLOUD_ACCEPTANCE_DAYS “{0}” is not a number of days: use a whole number from 1 to 90")]
    BadAcceptanceDays(String),
    #[error("LEPTOS_HASH_FILES “{0}” is not a switch: use true or false")]
    BadHashFiles(String),
    #[error("LIGHTPATH_TRUSTED_PROXIES “{0}” is not a list of addresses: use IP addresses separated by commas, like 10.0.0.2,10.0.0.3")]
    BadTrustedProxies(String),
    #[error("LIGHTPATH_SECRET_KEY is not a key: use 64 hex digits (openssl rand -hex 32)")]
    BadSecretKey,
    #[error("{0}")]
    Database(#[from] StoreError),
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.trim().is_empty()))
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let (variable, addr_text) = match (lookup("LIGHTPATH_ADDR"), lookup("LEPTOS_SITE_ADDR")) {
            (Some(addr), _) => ("LIGHTPATH_ADDR", addr),
            (None, Some(addr)) => ("LEPTOS_SITE_ADDR", addr),
            (None, None) => ("LIGHTPATH_ADDR", DEFAULT_ADDR.to_owned()),
        };
        let addr: SocketAddr =
            addr_text.trim().parse().map_err(|_| ConfigError::BadAddress { variable, value: addr_text.clone() })?;
        let data_dir = PathBuf::from(lookup("LIGHTPATH_DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let database = match lookup("DATABASE_URL") {
            Some(url) => DatabaseTarget::parse(url.trim())?,
            None => DatabaseTarget::Sqlite(data_dir.join("lightpath.db")),
        };
        let log_format = match lookup("LIGHTPATH_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(ConfigError::BadLogFormat(other.to_owned())),
        };
        let site_root = lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned());
        // The demo accounts share a published password: on by default only where nobody else
        // can reach them (a loopback address and the embedded database), on elsewhere only when
        // asked for by name.
        let demo_data = match lookup("LIGHTPATH_DEMO_DATA").as_deref().map(str::trim) {
            None => addr.ip().is_loopback() && !database.is_postgres(),
            Some("true") => true,
            Some("false") => false,
            Some(other) => return Err(ConfigError::BadDemoData(other.to_owned())),
        };
        // Staff sign in with a second factor, except in a demo, whose passwords are public
        // anyway and whose visitors should not need an authenticator app to look around.
        let staff_two_step = match lookup("LIGHTPATH_STAFF_TWO_STEP").as_deref().map(str::trim) {
            None => !demo_data,
            Some("required") => true,
            Some("optional") => false,
            Some(other) => return Err(ConfigError::BadStaffTwoStep(other.to_owned())),
        };
        let auth_attempts_per_minute = match lookup("LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE") {
            None => 20,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or(ConfigError::BadAuthAttempts(text))?,
        };
        let api_requests_per_minute = match lookup("LIGHTPATH_API_REQUESTS_PER_MINUTE") {
            None => 600,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or(ConfigError::BadApiRequests(text))?,
        };
        let allow_private = match lookup("LIGHTPATH_WEBHOOKS_ALLOW_PRIVATE").as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(ConfigError::BadWebhooksAllowPrivate(other.to_owned())),
        };
        let webhooks = crate::webhooks::WebhookSettings { allow_private, retry_base_ms: 10_000, max_attempts: 8 };
        let provisioning_workers = match lookup("LIGHTPATH_PROVISIONING_WORKERS") {
            None => 4,
            Some(text) => text.trim().parse().ok().filter(|n| *n <= 64).ok_or(ConfigError::BadWorkers(text))?,
        };
        let hash_files = match lookup("LEPTOS_HASH_FILES").as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(ConfigError::BadHashFiles(other.to_owned())),
        };
        let trusted_proxies = match lookup("LIGHTPATH_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(text) => text
                .split(',')
                .map(|part| part.trim().parse::<IpAddr>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ConfigError::BadTrustedProxies(text.clone()))?,
        };
        let cloud_acceptance_days = match lookup("LIGHTPATH_CLOUD_ACCEPTANCE_DAYS") {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse()
                    .ok()
                    .filter(|days| (1..=90).contains(days))
                    .ok_or(ConfigError::BadAcceptanceDays(text))?,
            ),
        };
        let secret_key = match lookup("LIGHTPATH_SECRET_KEY") {
            Some(text) => SecretKeySource::Given(
                lightpath_store::secrets::SecretKey::from_hex(&text).ok_or(ConfigError::BadSecretKey)?,
            ),
            None => SecretKeySource::File(data_dir.join("secret.key")),
        };
        Ok(Config {
            secret_key,
            addr,
            database,
            site_root,
            log_format,
            demo_data,
            staff_two_step,
            auth_attempts_per_minute,
            api_requests_per_minute,
            webhooks,
            provisioning_workers,
            hash_files,
            trusted_proxies,
            cloud_acceptance_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_to_sqlite_in_the_data_directory() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database, DatabaseTarget::Sqlite(PathBuf::from("data/lightpath.db")));
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(config.demo_data);
        assert_eq!(config.auth_attempts_per_minute, 20);
        assert_eq!(config.api_requests_per_minute, 600);
        assert!(!config.webhooks.allow_private, "callbacks reach only public addresses unless allowed");
        assert_eq!(config.provisioning_workers, 4);
    }

    #[test]
    fn honours_every_variable() {
        let config = config(&[
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/lp"),
            ("LIGHTPATH_LOG_FORMAT", "json"),
            ("LEPTOS_SITE_ROOT", "site"),
            ("LIGHTPATH_DEMO_DATA", "false"),
            ("LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE", "5"),
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 8080);
        assert!(config.database.is_postgres());
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.site_root, "site");
        assert!(!config.demo_data);
        assert_eq!(config.auth_attempts_per_minute, 5);
        let proxies = self::config(&[("LIGHTPATH_TRUSTED_PROXIES", "10.0.0.2, ::1")]).unwrap().trusted_proxies;
        assert_eq!(proxies, ["10.0.0.2".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]);
        let data = self::config(&[("LIGHTPATH_DATA_DIR", "/var/lib/lightpath")]).unwrap();
        assert_eq!(data.database, DatabaseTarget::Sqlite(PathBuf::from("/var/lib/lightpath/lightpath.db")));
    }

    #[test]
    fn staff_need_a_second_factor_unless_it_is_a_demo_or_said_otherwise() {
        assert!(!config(&[]).unwrap().staff_two_step, "the demo's staff look around without an app");
        assert!(config(&[("LIGHTPATH_DEMO_DATA", "false")]).unwrap().staff_two_step);
        assert!(config(&[("LIGHTPATH_STAFF_TWO_STEP", "required")]).unwrap().staff_two_step);
        assert!(
            !config(&[("LIGHTPATH_DEMO_DATA", "false"), ("LIGHTPATH_STAFF_TWO_STEP", "optional")])
                .unwrap()
                .staff_two_step
        );
        assert!(config(&[("LIGHTPATH_STAFF_TWO_STEP", "maybe")]).is_err());
    }

    #[test]
    fn demo_data_is_on_by_default_only_on_loopback_with_the_embedded_database() {
        assert!(config(&[]).unwrap().demo_data);
        assert!(!config(&[("LIGHTPATH_ADDR", "0.0.0.0:3000")]).unwrap().demo_data);
        assert!(!config(&[("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/lp")]).unwrap().demo_data);
        assert!(config(&[("LIGHTPATH_ADDR", "0.0.0.0:3000"), ("LIGHTPATH_DEMO_DATA", "true")]).unwrap().demo_data);
        assert!(!config(&[("LIGHTPATH_DEMO_DATA", "false")]).unwrap().demo_data);
    }

    #[test]
    fn bad_values_say_what_to_fix() {
        let error = config(&[("LIGHTPATH_ADDR", "localhost")]).unwrap_err().to_string();
        assert!(error.contains("LIGHTPATH_ADDR") && error.contains("host:port"), "{error}");
        let error = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().to_string();
        assert!(error.contains("DATABASE_URL") && error.contains("postgres://"), "{error}");
        assert!(config(&[("LIGHTPATH_LOG_FORMAT", "xml")]).is_err());
        assert!(config(&[("LIGHTPATH_DEMO_DATA", "yes")]).unwrap_err().to_string().contains("true or false"));
        assert!(config(&[("LIGHTPATH_AUTH_ATTEMPTS_PER_MINUTE", "0")]).is_err());
        assert!(config(&[("LIGHTPATH_TRUSTED_PROXIES", "10.0.0.2, proxy")])
            .unwrap_err()
            .to_string()
            .contains("commas"));
        assert!(config(&[("LIGHTPATH_PROVISIONING_WORKERS", "many")]).unwrap_err().to_string().contains("0 to 64"));
    }
}
