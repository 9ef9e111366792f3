//! Passkeys (WebAuthn): the credentials people register on their devices, and the
//! ceremonies that wait between a challenge sent to the browser and its signed answer.
//!
//! The WebAuthn checks themselves (signatures, origin, relying party, user verification) are
//! the application layer's, with webauthn-rs; this keeps what they need between requests:
//! each credential as webauthn-rs serialises it, and each ceremony's state, hashed token,
//! used once, five minutes. Adding and removing a passkey are in the organisation's audit log.

use crate::accounts::{is_unique_violation, new_id, new_token, token_hash, AccountError, ACTOR_COLUMNS};
use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, EmailAddress, Id};
use sqlx::Row;

/// How long the browser has to answer a ceremony.
pub const CEREMONY_MS: i64 = 5 * 60 * 1000;
/// Passkeys one person may register: enough for every device they own.
pub const MAX_PASSKEYS: i64 = 10;

/// What a ceremony's right answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeremonyPurpose {
    /// Adds a passkey to the signed-in person's account.
    Register,
    /// Signs someone in with a passkey alone.
    SignIn,
    /// The second step after a right password.
    SecondStep,
    /// "Confirm it's you" before a sensitive change.
    Confirm,
}

impl CeremonyPurpose {
    pub fn slug(self) -> &'static str {
        match self {
            CeremonyPurpose::Register => "register",
            CeremonyPurpose::SignIn => "sign-in",
            CeremonyPurpose::SecondStep => "second-step",
            CeremonyPurpose::Confirm => "confirm",
        }
    }
}

/// A registered passkey.
#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: String,
    pub name: String,
    /// The credential as webauthn-rs serialised it.
    pub credential: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
}

/// A ceremony taken back from the store (it is gone from it now).
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub user: Id,
    /// A new passkey's name (registration only).
    pub name: Option<String>,
    /// The ceremony's state as webauthn-rs serialised it.
    pub state: String,
}

/// A ceremony token that was never stored (a stand-in sign-in's): shaped like a real one.
pub fn decoy_ceremony_token() -> String {
    new_token()
}

fn organisation_of(actor: &Actor) -> Option<&str> {
    actor.organisation.as_ref().map(|organisation| organisation.id.as_str())
}

impl Store {
    /// `user`'s passkeys, oldest first.
    pub async fn passkeys_of(&self, user: &Id) -> Result<Vec<StoredPasskey>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, passkey, created_at_ms, last_used_at_ms FROM passkeys WHERE user_id = $1
             ORDER BY created_at_ms, id",
        )
        .bind(user.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredPasskey {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    credential: row.try_get("passkey")?,
                    created_at_ms: row.try_get("created_at_ms")?,
                    last_used_at_ms: row.try_get("last_used_at_ms")?,
                })
            })
            .collect()
    }

    /// The account `email` belongs to, if any (for a passkey sign-in, which has no password
    /// to check first).
    pub async fn actor_by_email(&self, email: &EmailAddress) -> Result<Option<Actor>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ACTOR_COLUMNS} WHERE u.email = $1"))
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(crate::accounts::actor_from_row).transpose()
    }

    /// The account a sign-in waiting for its second step belongs to; the challenge stays until
    /// [`Store::end_challenge`].
    pub async fn challenge_actor(&self, challenge: &str) -> Result<Actor, AccountError> {
        let row = sqlx::query(&format!(
            "SELECT c.expires_at_ms, {ACTOR_COLUMNS} JOIN sign_in_challenges c ON c.user_id = u.id WHERE c.token_hash = $1"
        ))
        .bind(token_hash(challenge))
        .fetch_optional(self.pool())
        .await?
        .ok_or(AccountError::ChallengeExpired)?;
        if row.try_get::<i64, _>("expires_at_ms")? <= now_ms() {
            return Err(AccountError::ChallengeExpired);
        }
        Ok(crate::accounts::actor_from_row(&row)?)
    }

    /// Ends a sign-in's challenge once its second step is done: it never counts twice.
    pub async fn end_challenge(&self, challenge: &str) -> Result<bool, StoreError> {
        let ended = sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
            .bind(token_hash(challenge))
            .execute(self.pool())
            .await?;
        Ok(ended.rows_affected() == 1)
    }

    /// The key stand-in passkeys are derived from for addresses with none (or no account), so
    /// they are the same every time on every server sharing the secret key: a sign-in's
    /// options do not tell who has an account.
    pub fn passkey_decoy_key(&self) -> Result<[u8; 32], StoreError> {
        Ok(self.secret_key()?.digest("passkey-decoy", ""))
    }

    /// Remembers a ceremony until the browser answers; answers its token. Expired ceremonies
    /// of everyone are swept here.
    pub async fn begin_passkey_ceremony(
        &self,
        purpose: CeremonyPurpose,
        user: &Id,
        name: Option<&str>,
        state: &str,
    ) -> Result<String, StoreError> {
        let (token, now) = (new_token(), now_ms());
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at_ms <= $1").bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO passkey_ceremonies (token_hash, purpose, user_id, name, state, expires_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(purpose.slug())
        .bind(user.as_str())
        .bind(name)
        .bind(state)
        .bind(now + CEREMONY_MS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Takes a ceremony back, once: an unknown, used, expired token, or one begun for another
    /// purpose, is refused the same way.
    pub async fn take_passkey_ceremony(&self, token: &str, purpose: CeremonyPurpose) -> Result<Ceremony, AccountError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM passkey_ceremonies WHERE token_hash = $1 AND purpose = $2
             RETURNING user_id, name, state, expires_at_ms",
        )
        .bind(token_hash(token))
        .bind(purpose.slug())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let expired = || AccountError::Refused("The passkey request expired or was answered already. Try again.");
        let row = row.ok_or_else(expired)?;
        if row.try_get::<i64, _>("expires_at_ms")? <= now_ms() {
            return Err(expired());
        }
        let user: String = row.try_get("user_id")?;
        Ok(Ceremony {
            user: Id::parse(&user).ok_or_else(|| StoreError::Corrupt(format!("user id {user}")))?,
            name: row.try_get("name")?,
            state: row.try_get("state")?,
        })
    }

    /// Adds a verified passkey to `actor`'s account, audited. A credential already registered
    /// (to anyone) is refused, and so is an eleventh passkey.
    pub async fn add_passkey(
        &self,
        actor: &Actor,
        name: &str,
        credential_id: &str,
        credential: &str,
    ) -> Result<String, AccountError> {
        let (id, now) = (new_id(), now_ms());
        let mut tx = self.begin_write().await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE user_id = $1")
            .bind(actor.id.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if count >= MAX_PASSKEYS {
            return Err(AccountError::Refused(
                "You have 10 passkeys, the most one account may have. Remove one you no longer use first.",
            ));
        }
        let inserted = sqlx::query(
            "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(actor.id.as_str())
        .bind(credential_id)
        .bind(name)
        .bind(credential)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if is_unique_violation(&error) => {
                return Err(AccountError::Refused("That passkey is registered already."))
            }
            other => other?,
        };
        audit::record(
            &mut tx,
            actor,
            "account.second-factor-add",
            &format!("user {}", actor.id),
            organisation_of(actor),
            Change::created(serde_json::json!({ "factor": "passkey", "name": name })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that `user` signed in (or confirmed) with the passkey `credential_id`, with its
    /// credential as updated by the ceremony (its signature counter), when it changed.
    pub async fn passkey_used(&self, user: &Id, credential_id: &str, updated: Option<&str>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE passkeys SET last_used_at_ms = $1, passkey = COALESCE($2, passkey)
             WHERE user_id = $3 AND credential_id = $4",
        )
        .bind(now_ms())
        .bind(updated)
        .bind(user.as_str())
        .bind(credential_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes one of `actor`'s own passkeys, audited.
    pub async fn remove_own_passkey(&self, actor: &Actor, passkey: &str) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let name: String = sqlx::query_scalar("DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING name")
            .bind(passkey)
            .bind(actor.id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        audit::record(
            &mut tx,
            actor,
            "account.second-factor-remove",
            &format!("user {}", actor.id),
            organisation_of(actor),
            Change::deleted(serde_json::json!({ "factor": "passkey", "name": name, "by": "themselves" })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The account with `id`, if any.
    pub async fn actor_by_id(&self, id: &Id) -> Result<Option<Actor>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ACTOR_COLUMNS} WHERE u.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(crate::accounts::actor_from_row).transpose()
    }

    /// "Confirm it's you" with a passkey: `session` (of `user`) counts as having proven a
    /// second factor now.
    pub async fn prove_factor_now(&self, session: &str, user: &Id) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET factor_proven_at_ms = $1 WHERE token_hash = $2 AND user_id = $3")
            .bind(now_ms())
            .bind(token_hash(session))
            .bind(user.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
