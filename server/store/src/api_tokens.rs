//! API tokens (service accounts): made by an organisation's admin (or, for staff, by a
//! Lightpath admin), shown once, stored only as a SHA-256 hash, revoked at once. A request
//! with a token acts as the person who made it, with the token's role and access, and every
//! change it makes is audited under the token's name.

use crate::accounts::{actor_from_row, hex, new_id, ACTOR_COLUMNS};
use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, Role, TokenAccess, TokenRef};
use lightpath_domain::records::ApiToken;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Every token starts with this, so secret scanners (and people) recognise one.
pub const TOKEN_PREFIX: &str = "lpt_";
/// Live tokens one organisation (or the staff) may hold: enough for every pipeline, few
/// enough that a leaked admin session cannot mint tokens without end.
pub const MAX_LIVE_TOKENS: i64 = 50;
/// How often a token's "last used" time is written (reads are many; writes need not be).
const TOUCH_EVERY_MS: i64 = 60_000;

/// A token to make: its name, access, whose it is and when it expires.
pub struct NewApiToken {
    pub name: String,
    pub access: TokenAccess,
    /// The organisation it acts for; None for a staff token.
    pub organisation: Option<Id>,
    pub expires_at_ms: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TokenError {
    fn from(error: sqlx::Error) -> Self {
        TokenError::Store(StoreError::Database(error))
    }
}

fn secret_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `lpt_` + 8 hex characters (the prefix shown in lists) + `_` + 64 hex characters of secret.
fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 36];
    rand::rng().fill_bytes(&mut bytes);
    let prefix = format!("{TOKEN_PREFIX}{}", hex(&bytes[..4]));
    let token = format!("{prefix}_{}", hex(&bytes[4..]));
    (prefix, token)
}

const TOKEN_COLUMNS: &str = "t.id, t.name, t.prefix, t.access, u.email AS created_by, t.created_at_ms, t.expires_at_ms,
     t.last_used_ms, t.revoked_at_ms FROM api_tokens t JOIN users u ON u.id = t.user_id";

fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    let id: String = row.try_get("id")?;
    let access: String = row.try_get("access")?;
    Ok(ApiToken {
        id: Id::parse(&id).ok_or_else(|| StoreError::Corrupt(format!("api token id {id}")))?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        access: TokenAccess::parse(&access).ok_or_else(|| StoreError::Corrupt(format!("token access {access}")))?,
        created_by: row.try_get("created_by")?,
        created_at_ms: row.try_get("created_at_ms")?,
        expires_at_ms: row.try_get("expires_at_ms")?,
        last_used_ms: row.try_get("last_used_ms")?,
        revoked_at_ms: row.try_get("revoked_at_ms")?,
    })
}

impl Store {
    /// Makes a token for `new.organisation` (None: a staff token) and returns it with its
    /// secret, which is never stored and cannot be read again.
    pub async fn create_api_token(&self, by: &Actor, new: NewApiToken) -> Result<(ApiToken, String), TokenError> {
        let (prefix, secret) = new_secret();
        let (id, now) = (new_id(), now_ms());
        let mut tx = self.begin_write().await?;
        if let Some(organisation) = &new.organisation {
            Store::lock_organisation(&mut tx, organisation.as_str()).await?;
        }
        let live: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM api_tokens
             WHERE (organisation_id = $1 OR ($1 IS NULL AND organisation_id IS NULL))
               AND revoked_at_ms IS NULL AND (expires_at_ms IS NULL OR expires_at_ms > $2)",
        )
        .bind(new.organisation.as_ref().map(Id::as_str))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if live >= MAX_LIVE_TOKENS {
            return Err(TokenError::Refused(format!(
                "There are {MAX_LIVE_TOKENS} live tokens already: revoke one you no longer use first."
            )));
        }
        sqlx::query(
            "INSERT INTO api_tokens (id, prefix, secret_hash, name, access, user_id, organisation_id, created_at_ms, expires_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&prefix)
        .bind(secret_hash(&secret))
        .bind(&new.name)
        .bind(new.access.slug())
        .bind(by.id.as_str())
        .bind(new.organisation.as_ref().map(Id::as_str))
        .bind(now)
        .bind(new.expires_at_ms)
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({ "name": new.name, "prefix": prefix, "access": new.access, "expires_at_ms": new.expires_at_ms });
        audit::record(
            &mut tx,
            by,
            "api-token.create",
            &format!("api token {prefix}"),
            new.organisation.as_ref().map(Id::as_str),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        let token = ApiToken {
            id: Id::parse(&id).ok_or_else(|| StoreError::Corrupt("new token id".into()))?,
            name: new.name,
            prefix,
            access: new.access,
            created_by: by.email.as_str().to_owned(),
            created_at_ms: now,
            expires_at_ms: new.expires_at_ms,
            last_used_ms: None,
            revoked_at_ms: None,
        };
        Ok((token, secret))
    }

    /// The tokens of an organisation (None: the staff tokens), newest first, revoked ones too.
    pub async fn api_tokens(&self, organisation: Option<&Id>) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS}
             WHERE (t.organisation_id = $1 OR ($1 IS NULL AND t.organisation_id IS NULL))
             ORDER BY t.created_at_ms DESC, t.id LIMIT 200"
        ))
        .bind(organisation.map(Id::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token of `organisation` (None: a staff token) at once. False when there is
    /// no such live token there.
    pub async fn revoke_api_token(
        &self,
        by: &Actor,
        organisation: Option<&Id>,
        token: &Id,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT prefix, name FROM api_tokens
             WHERE id = $1 AND revoked_at_ms IS NULL
               AND (organisation_id = $2 OR ($2 IS NULL AND organisation_id IS NULL))",
        )
        .bind(token.as_str())
        .bind(organisation.map(Id::as_str))
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let (prefix, name): (String, String) = (row.try_get("prefix")?, row.try_get("name")?);
        sqlx::query("UPDATE api_tokens SET revoked_at_ms = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(token.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            by,
            "api-token.revoke",
            &format!("api token {prefix}"),
            organisation.map(Id::as_str),
            Change::deleted(serde_json::json!({ "name": name, "prefix": prefix })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Who a request with `secret` acts as, or None for a token that is unknown, revoked or
    /// expired. An organisation's token acts as a buyer of it (never as its admin); a staff
    /// token with its maker's role.
    pub async fn token_actor(&self, secret: &str) -> Result<Option<Actor>, StoreError> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
            return Ok(None);
        }
        let now = now_ms();
        let Some(row) = sqlx::query(&format!(
            "SELECT t.id AS token_id, t.name AS token_name, t.prefix, t.access, t.organisation_id AS token_organisation,
                    t.expires_at_ms, t.last_used_ms, t.revoked_at_ms, {ACTOR_COLUMNS}
             JOIN api_tokens t ON t.user_id = u.id WHERE t.secret_hash = $1"
        ))
        .bind(secret_hash(secret))
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let (expires, revoked): (Option<i64>, Option<i64>) =
            (row.try_get("expires_at_ms")?, row.try_get("revoked_at_ms")?);
        if revoked.is_some() || expires.is_some_and(|expires| now >= expires) {
            return Ok(None);
        }
        let mut actor = actor_from_row(&row)?;
        let token_organisation: Option<String> = row.try_get("token_organisation")?;
        // The maker's organisation must still be the token's (a token never crosses over).
        if token_organisation.as_deref() != actor.organisation.as_ref().map(|org| org.id.as_str()) {
            return Ok(None);
        }
        let (token_id, access): (String, String) = (row.try_get("token_id")?, row.try_get("access")?);
        let access =
            TokenAccess::parse(&access).ok_or_else(|| StoreError::Corrupt(format!("token access {access}")))?;
        // An organisation's token acts as a buyer, unless it is an admin token, which keeps its
        // maker's role as it is now (an admin demoted since makes it a buyer's).
        if actor.organisation.is_some() && access != TokenAccess::Admin {
            actor.role = Role::Buyer;
        }
        let id = Id::parse(&token_id).ok_or_else(|| StoreError::Corrupt(format!("api token id {token_id}")))?;
        actor.token =
            Some(TokenRef { id: id.clone(), name: row.try_get("token_name")?, prefix: row.try_get("prefix")?, access });
        let last_used: Option<i64> = row.try_get("last_used_ms")?;
        if last_used.is_none_or(|last| now - last >= TOUCH_EVERY_MS) {
            sqlx::query("UPDATE api_tokens SET last_used_ms = $1 WHERE id = $2")
                .bind(now)
                .bind(id.as_str())
                .execute(self.pool())
                .await?;
        }
        Ok(Some(actor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_starts_with_its_prefix_and_is_long() {
        let (prefix, secret) = new_secret();
        assert!(prefix.starts_with(TOKEN_PREFIX) && prefix.len() == TOKEN_PREFIX.len() + 8, "{prefix}");
        assert!(secret.starts_with(&format!("{prefix}_")), "{secret}");
        assert_eq!(secret.len(), prefix.len() + 1 + 64);
        assert_ne!(new_secret().1, secret);
        assert_eq!(secret_hash(&secret).len(), 64);
    }
}
