//! Accounts: organisations, users, password hashing, sign-in with per-account throttling,
//! and database sessions (shared by every server).

use crate::audit::{self, Change};
use crate::factors::FACTOR_COUNT;
use crate::{now_ms, Store, StoreError};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use lightpath_domain::account::{
    Actor, EmailAddress, Id, NewPassword, OrganisationRef, Role, SignInMethod, TwoStepPolicy,
};
use lightpath_domain::money::Money;
use lightpath_domain::records::{PageRequest, Paged};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::LazyLock;

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_MS: i64 = 60 * 60 * 1000;
/// …and in any case this long after sign-in.
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen_ms` is written at most this often, so reading pages does not write every time.
const TOUCH_EVERY_MS: i64 = 60 * 1000;
/// After this many failed sign-ins in the window, the account waits out the window.
pub const MAX_FAILED_SIGN_INS: i64 = 5;
pub const FAILED_SIGN_IN_WINDOW_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Unknown email or wrong password: deliberately one error, so nobody learns which.
    #[error("the email or password is not right")]
    InvalidCredentials,
    #[error("too many failed sign-ins; retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("the current password is not right")]
    WrongCurrentPassword,
    /// A second factor's code that is wrong, or was used already.
    #[error("the code is not right")]
    WrongCode,
    /// The sign-in waiting for its code is unknown or older than five minutes.
    #[error("the sign-in waited too long for its code")]
    ChallengeExpired,
    #[error("no such record")]
    NotFound,
    #[error("{0}")]
    Refused(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Database(error))
    }
}

/// argon2id with the OWASP parameters: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the blocking pool: argon2 takes tens of milliseconds of CPU by design.
pub async fn hash_password(password: &NewPassword) -> Result<String, StoreError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await
    .map_err(|error| StoreError::Corrupt(format!("password hashing stopped: {error}")))?
    .map_err(|error| StoreError::Corrupt(format!("password hashing failed: {error}")))
}

/// A real hash of a random password, checked when the email is unknown so that a sign-in
/// takes as long for a missing account as for a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(b"decoy password nobody has", &salt).map(|hash| hash.to_string()).unwrap_or_default()
});

async fn verify_password(hash: Option<String>, candidate: &str) -> bool {
    let candidate = candidate.to_owned();
    let known = hash.is_some();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DECOY_HASH.clone());
        PasswordHash::new(&hash).is_ok_and(|parsed| hasher().verify_password(candidate.as_bytes(), &parsed).is_ok())
            && known
    })
    .await
    .unwrap_or(false)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A fresh session token (256 random bits, hex) for the cookie.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the sessions table stores instead of the token.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

pub(crate) const ACTOR_COLUMNS: &str =
    "u.id, u.email, u.name, COALESCE(u.full_role, u.role) AS role, u.organisation_id, o.name AS organisation_name
     FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";

pub(crate) fn actor_from_row(row: &sqlx::any::AnyRow) -> Result<Actor, StoreError> {
    let role: String = row.try_get("role")?;
    let organisation_id: Option<String> = row.try_get("organisation_id")?;
    let organisation = match organisation_id {
        Some(id) => Some(OrganisationRef {
            id: Id::parse(&id).ok_or_else(|| corrupt(format!("organisation id {id}")))?,
            name: row.try_get("organisation_name")?,
        }),
        None => None,
    };
    let id: String = row.try_get("id")?;
    let email: String = row.try_get("email")?;
    Ok(Actor {
        id: Id::parse(&id).ok_or_else(|| corrupt(format!("user id {id}")))?,
        email: EmailAddress::parse(&email).map_err(|_| corrupt(format!("email of {id}")))?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| corrupt(format!("role {role}")))?,
        organisation,
        token: None,
        two_step_missing: false,
        factor_stale: false,
    })
}

/// A new customer organisation and its first person, who becomes its org admin.
pub struct SignUp {
    pub email: EmailAddress,
    pub name: String,
    pub company: String,
    pub password: NewPassword,
}

/// A new account created by someone else (an org admin adding a buyer, or the demo seed).
pub struct NewAccount {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub organisation: Option<Id>,
    pub password: NewPassword,
}

/// A member of an organisation, as listed on its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: Id,
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
}

/// A customer organisation with its member count, for staff lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationSummary {
    pub id: Id,
    pub name: String,
    pub members: i64,
}

impl Store {
    /// Creates the organisation and its org admin in one transaction, with an audit entry.
    pub async fn sign_up(&self, sign_up: SignUp) -> Result<Actor, AccountError> {
        let hash = hash_password(&sign_up.password).await?;
        let (user_id, org_id, now) = (new_id(), new_id(), now_ms());
        let mut tx = self.begin_write().await?;
        if sqlx::query("SELECT 1 FROM users WHERE email = $1")
            .bind(sign_up.email.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(AccountError::EmailTaken);
        }
        sqlx::query("INSERT INTO organisations (id, name, created_at_ms, credit_limit_cents) VALUES ($1, $2, $3, $4)")
            .bind(&org_id)
            .bind(&sign_up.company)
            .bind(now)
            .bind(lightpath_domain::credit::SELF_SIGN_UP_LIMIT.cents())
            .execute(&mut *tx)
            .await?;
        insert_user(&mut tx, &user_id, &sign_up.email, &sign_up.name, &hash, Role::OrgAdmin, Some(&org_id), now)
            .await?;
        let actor = Actor {
            id: Id::parse(&user_id).ok_or_else(|| corrupt("new user id"))?,
            email: sign_up.email.clone(),
            name: sign_up.name.clone(),
            role: Role::OrgAdmin,
            organisation: Some(OrganisationRef {
                id: Id::parse(&org_id).ok_or_else(|| corrupt("new organisation id"))?,
                name: sign_up.company.clone(),
            }),
            token: None,
            two_step_missing: false,
            factor_stale: false,
        };
        let after = serde_json::json!({ "email": sign_up.email, "name": sign_up.name, "company": sign_up.company, "role": Role::OrgAdmin });
        audit::record(
            &mut tx,
            &actor,
            "account.sign-up",
            &format!("user {user_id}"),
            Some(&org_id),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(actor)
    }

    /// Creates an account for someone else: an org admin's new buyer, or a demo account.
    pub async fn create_account(&self, by: Option<&Actor>, account: NewAccount) -> Result<Id, AccountError> {
        let hash = hash_password(&account.password).await?;
        let (user_id, now) = (new_id(), now_ms());
        let organisation = account.organisation.as_ref().map(Id::as_str);
        let mut tx = self.begin_write().await?;
        match insert_user(&mut tx, &user_id, &account.email, &account.name, &hash, account.role, organisation, now)
            .await
        {
            Err(error) if is_unique_violation(&error) => return Err(AccountError::EmailTaken),
            other => other?,
        };
        if let Some(by) = by {
            let after = serde_json::json!({ "email": account.email, "name": account.name, "role": account.role });
            audit::record(
                &mut tx,
                by,
                "account.create",
                &format!("user {user_id}"),
                organisation,
                Change::created(after),
            )
            .await?;
        }
        tx.commit().await?;
        Id::parse(&user_id).ok_or_else(|| corrupt("new user id").into())
    }

    /// Checks an email and password. Unknown emails and wrong passwords give the same error
    /// after the same work; too many failures make the account wait out a window.
    pub async fn authenticate(&self, email: &EmailAddress, password: &str) -> Result<Actor, AccountError> {
        let now = now_ms();
        if let Some(row) = sqlx::query("SELECT failures, window_started_ms FROM sign_in_failures WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await?
        {
            let (failures, started): (i64, i64) = (row.try_get("failures")?, row.try_get("window_started_ms")?);
            let window_ends = started + FAILED_SIGN_IN_WINDOW_MS;
            if failures >= MAX_FAILED_SIGN_INS && now < window_ends {
                let retry_after_secs = u64::try_from((window_ends - now + 999) / 1000).unwrap_or(1);
                return Err(AccountError::TooManyAttempts { retry_after_secs });
            }
        }
        let row = sqlx::query(&format!("SELECT {ACTOR_COLUMNS} WHERE u.email = $1"))
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await?;
        let hash = match &row {
            Some(_) => sqlx::query("SELECT password_hash FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(self.pool())
                .await?
                .map(|r| r.try_get::<String, _>("password_hash"))
                .transpose()?,
            None => None,
        };
        let account = row.as_ref().map(actor_from_row).transpose()?;
        let verified = verify_password(hash, password).await;
        if let (Some(actor), true) = (&account, verified) {
            sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
                .bind(email.as_str())
                .execute(self.pool())
                .await?;
            return Ok(actor.clone());
        }
        self.count_failed_sign_in(email, account.as_ref(), now).await?;
        Err(AccountError::InvalidCredentials)
    }

    /// Counts a failed sign-in against `email`; when it names an account, the organisation's
    /// audit log says so too (an unknown address has no organisation to tell).
    async fn count_failed_sign_in(
        &self,
        email: &EmailAddress,
        account: Option<&Actor>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(actor) = account {
            let organisation = actor.organisation.as_ref().map(|organisation| organisation.id.as_str());
            let after = serde_json::json!({ "method": SignInMethod::Password.slug() });
            let subject = format!("user {}", actor.id);
            audit::record(&mut tx, actor, "account.sign-in-failed", &subject, organisation, Change::created(after))
                .await?;
        }
        // Windows that have ended count for nothing: forget them (any email can fail to sign
        // in, so the table would otherwise grow with every address anyone ever tried).
        sqlx::query("DELETE FROM sign_in_failures WHERE window_started_ms + $1 <= $2 AND email <> $3")
            .bind(FAILED_SIGN_IN_WINDOW_MS)
            .bind(now)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
        // A window that has ended starts again from this failure.
        sqlx::query(
            "INSERT INTO sign_in_failures (email, failures, window_started_ms) VALUES ($1, 1, $2)
             ON CONFLICT (email) DO UPDATE SET
               failures = CASE WHEN sign_in_failures.window_started_ms + $3 <= $2 THEN 1 ELSE sign_in_failures.failures + 1 END,
               window_started_ms = CASE WHEN sign_in_failures.window_started_ms + $3 <= $2 THEN $2 ELSE sign_in_failures.window_started_ms END",
        )
        .bind(email.as_str())
        .bind(now)
        .bind(FAILED_SIGN_IN_WINDOW_MS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session for `user` and returns the token for the cookie. Expired sessions of
    /// everyone are swept here, which keeps the table small without a background job.
    /// The sign-in is in the person's organisation's audit log with how they signed in.
    pub async fn create_session(&self, actor: &Actor, method: SignInMethod) -> Result<String, StoreError> {
        let (token, now) = (new_token(), now_ms());
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1 OR last_seen_ms <= $2")
            .bind(now)
            .bind(now - IDLE_TIMEOUT_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_ms, expires_at_ms, method,
                 factor_proven_at_ms)
             VALUES ($1, $2, $3, $3, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(actor.id.as_str())
        .bind(now)
        .bind(now + ABSOLUTE_TIMEOUT_MS)
        .bind(method.slug())
        .bind(method.multi_factor().then_some(now))
        .execute(&mut *tx)
        .await?;
        let organisation = actor.organisation.as_ref().map(|organisation| organisation.id.as_str());
        let after = serde_json::json!({ "method": method.slug() });
        let subject = format!("user {}", actor.id);
        audit::record(&mut tx, actor, "account.sign-in", &subject, organisation, Change::created(after)).await?;
        tx.commit().await?;
        self.accept_invitation(&actor.id).await?;
        Ok(token)
    }

    /// The person a session token belongs to, or None for an unknown, idle or expired token.
    pub async fn session_actor(&self, token: &str) -> Result<Option<Actor>, StoreError> {
        let now = now_ms();
        let hash = token_hash(token);
        let Some(row) = sqlx::query(&format!(
            "SELECT s.last_seen_ms, s.expires_at_ms, s.method, s.factor_proven_at_ms, o.two_step_policy,
                    {FACTOR_COUNT} AS factors,
                    {ACTOR_COLUMNS}
             JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1"
        ))
        .bind(&hash)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let (last_seen, expires): (i64, i64) = (row.try_get("last_seen_ms")?, row.try_get("expires_at_ms")?);
        if now >= expires || now - last_seen >= IDLE_TIMEOUT_MS {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(self.pool()).await?;
            return Ok(None);
        }
        if now - last_seen >= TOUCH_EVERY_MS {
            sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(self.pool())
                .await?;
        }
        let mut actor = actor_from_row(&row)?;
        let method: Option<String> = row.try_get("method")?;
        let multi_factor =
            method.as_deref().and_then(SignInMethod::parse).is_some_and(SignInMethod::meets_two_step_policy);
        let policy: Option<String> = row.try_get("two_step_policy")?;
        let required = match policy.as_deref().and_then(TwoStepPolicy::parse) {
            Some(policy) => policy.covers(actor.role),
            None => actor.role.is_staff() && self.staff_two_step,
        };
        actor.two_step_missing = required && !multi_factor;
        let has_factor = row.try_get::<i64, _>("factors")? > 0;
        actor.factor_stale =
            lightpath_domain::account::factor_stale(has_factor, row.try_get("factor_proven_at_ms")?, now);
        Ok(Some(actor))
    }

    /// Ends one session (sign-out).
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(self.pool()).await?;
        self.feed.send(crate::feed::Change::SessionEnded(token.to_owned()));
        Ok(())
    }

    /// Changes a password after checking the current one; every other session of the person
    /// ends, so a stolen session does not outlive the change.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &NewPassword,
        keep_session: &str,
    ) -> Result<(), AccountError> {
        let hash: Option<String> = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(actor.id.as_str())
            .fetch_optional(self.pool())
            .await?
            .map(|row| row.try_get("password_hash"))
            .transpose()?;
        if !verify_password(hash, current).await {
            return Err(AccountError::WrongCurrentPassword);
        }
        let new_hash = hash_password(new).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(&new_hash)
            .bind(actor.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(actor.id.as_str())
            .bind(token_hash(keep_session))
            .execute(&mut *tx)
            .await?;
        let org = actor.organisation.as_ref().map(|o| o.id.as_str());
        audit::record(&mut tx, actor, "account.change-password", &format!("user {}", actor.id), org, Change::none())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One page of the customer organisations with their member counts, by name.
    pub async fn organisations(&self, page: PageRequest) -> Result<Paged<OrganisationSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.name, (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id) AS members
             FROM organisations o ORDER BY o.name, o.id LIMIT $1 OFFSET $2",
        )
        .bind(page.fetch())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        let organisations = rows
            .iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                Ok(OrganisationSummary {
                    id: Id::parse(&id).ok_or_else(|| corrupt(format!("organisation id {id}")))?,
                    name: row.try_get("name")?,
                    members: row.try_get("members")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(page.cut(organisations))
    }

    /// One organisation with its members, or None.
    pub async fn organisation(&self, id: &Id) -> Result<Option<(OrganisationRef, Vec<Member>)>, StoreError> {
        let Some(row) = sqlx::query("SELECT name FROM organisations WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let organisation = OrganisationRef { id: id.clone(), name: row.try_get("name")? };
        let members = self
            .users_where(
                "u.organisation_id = $1 AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.user_id = u.id)",
                Some(id.as_str()),
            )
            .await?;
        Ok(Some((organisation, members)))
    }

    /// An organisation's credit limit: None when it has none (Some(None)), or when the
    /// organisation does not exist (None).
    pub async fn credit_limit(&self, organisation: &Id) -> Result<Option<Option<Money>>, StoreError> {
        let limit: Option<Option<i64>> =
            sqlx::query_scalar("SELECT credit_limit_cents FROM organisations WHERE id = $1")
                .bind(organisation.as_str())
                .fetch_optional(self.pool())
                .await?;
        Ok(limit.map(|limit| limit.map(Money::from_cents)))
    }

    /// Sets (or, with None, lifts) an organisation's credit limit. Orders already held stay
    /// held: an admin decides each one.
    pub async fn set_credit_limit(
        &self,
        by: &Actor,
        organisation: &Id,
        limit: Option<Money>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let before: Option<Option<i64>> =
            sqlx::query_scalar("SELECT credit_limit_cents FROM organisations WHERE id = $1")
                .bind(organisation.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(before) = before else { return Ok(false) };
        sqlx::query("UPDATE organisations SET credit_limit_cents = $1 WHERE id = $2")
            .bind(limit.map(Money::cents))
            .bind(organisation.as_str())
            .execute(&mut *tx)
            .await?;
        let change = Change::updated(
            serde_json::json!({ "credit_limit_cents": before }),
            serde_json::json!({ "credit_limit_cents": limit.map(Money::cents) }),
        );
        let subject = format!("organisation {organisation}");
        audit::record(&mut tx, by, "organisation.credit-limit", &subject, Some(organisation.as_str()), change).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One page of every account (for admins), staff first, then by email.
    pub async fn users(&self, page: PageRequest) -> Result<Paged<Actor>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACTOR_COLUMNS} ORDER BY u.organisation_id IS NOT NULL, u.email LIMIT $1 OFFSET $2"
        ))
        .bind(page.fetch())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        Ok(page.cut(rows.iter().map(actor_from_row).collect::<Result<Vec<_>, _>>()?))
    }

    async fn users_where(&self, condition: &str, value: Option<&str>) -> Result<Vec<Member>, StoreError> {
        sqlx::query(&format!("SELECT {ACTOR_COLUMNS} WHERE {condition} ORDER BY u.email"))
            .bind(value)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let actor = actor_from_row(row)?;
                Ok(Member { id: actor.id, email: actor.email, name: actor.name, role: actor.role })
            })
            .collect()
    }

    /// Removes a buyer from an organisation (their sessions end with the account). The last
    /// org admin cannot be removed, so an organisation is never left without one.
    pub async fn remove_member(&self, by: &Actor, organisation: &Id, user: &Id) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT email, COALESCE(full_role, role) AS role FROM users WHERE id = $1 AND organisation_id = $2",
        )
        .bind(user.as_str())
        .bind(organisation.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AccountError::NotFound)?;
        let (email, role): (String, String) = (row.try_get("email")?, row.try_get("role")?);
        if user == &by.id {
            return Err(AccountError::Refused("You cannot remove yourself; ask another org admin."));
        }
        if role == Role::OrgAdmin.slug() && org_admin_count(&mut tx, organisation).await? <= 1 {
            return Err(AccountError::Refused("An organisation needs at least one org admin."));
        }
        delete_user(&mut tx, user.as_str()).await?;
        let before = serde_json::json!({ "email": email, "role": role });
        audit::record(
            &mut tx,
            by,
            "account.remove",
            &format!("user {user}"),
            Some(organisation.as_str()),
            Change::deleted(before),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes an account's role. Customers stay customers and staff stay staff: a role never
    /// moves a person between organisations. `within` limits the change to one organisation's
    /// members (an org admin's change): anyone else is not found.
    pub async fn set_role(&self, by: &Actor, user: &Id, role: Role, within: Option<&Id>) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT COALESCE(full_role, role) AS role, organisation_id FROM users WHERE id = $1")
            .bind(user.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        let current: String = row.try_get("role")?;
        let organisation: Option<String> = row.try_get("organisation_id")?;
        let current = Role::parse(&current).ok_or_else(|| corrupt(format!("role {current}")))?;
        if within.is_some_and(|within| organisation.as_deref() != Some(within.as_str())) {
            return Err(AccountError::NotFound);
        }
        if current.is_staff() != role.is_staff() {
            return Err(AccountError::Refused(
                "Staff roles and customer roles cannot be swapped; create a new account instead.",
            ));
        }
        if user == &by.id && role != current {
            return Err(AccountError::Refused("You cannot change your own role; ask another admin."));
        }
        if current == role {
            return Ok(());
        }
        if let (Role::OrgAdmin, Some(org)) = (current, &organisation) {
            let org = Id::parse(org).ok_or_else(|| corrupt("organisation id"))?;
            if org_admin_count(&mut tx, &org).await? <= 1 {
                return Err(AccountError::Refused("An organisation needs at least one org admin."));
            }
        }
        sqlx::query("UPDATE users SET role = $1, full_role = $2 WHERE id = $3")
            .bind(kind_column(role))
            .bind(role.slug())
            .bind(user.as_str())
            .execute(&mut *tx)
            .await?;
        let change = Change::updated(serde_json::json!({ "role": current }), serde_json::json!({ "role": role }));
        audit::record(&mut tx, by, "account.role", &format!("user {user}"), organisation.as_deref(), change).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The password of every demo account (README.md lists them).
pub const DEMO_PASSWORD: &str = "lightpath-demo-password";

/// The demo people: (email, name, role, organisation name or None for staff).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<&str>); 9] = [
    ("admin@lightpath.example", "Alex Morgan", Role::Admin, None),
    ("sales@lightpath.example", "Sam Rivera", Role::SalesEngineer, None),
    ("ada@acme.example", "Ada Lovelace", Role::OrgAdmin, Some("Acme AI")),
    ("grace@acme.example", "Grace Hopper", Role::Buyer, Some("Acme AI")),
    ("hal@globex.example", "Hal Abelson", Role::OrgAdmin, Some("Globex Robotics")),
    ("fran@acme.example", "Frances Allen", Role::Finance, Some("Acme AI")),
    ("ken@acme.example", "Ken Thompson", Role::ReadOnly, Some("Acme AI")),
    ("noc@lightpath.example", "Radia Perlman", Role::NetworkOperations, None),
    ("support@lightpath.example", "Barbara Liskov", Role::Support, None),
];

/// What a disabled demo account's password hash is set to: no password ever verifies against it.
const DISABLED_PASSWORD_HASH: &str = "disabled: demo data is switched off";

impl Store {
    /// Disables the demo accounts a start with demo data left behind, when a server now starts
    /// without it: their published password stops working and their sessions end. Returns how
    /// many were disabled now (0 when there are none, or they are disabled already).
    pub async fn disable_demo_accounts(&self) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut disabled = 0;
        for (email, ..) in DEMO_ACCOUNTS {
            // Sessions end, and passkeys go too: they sign in without the password.
            for table in ["sessions", "passkeys"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE user_id IN (SELECT id FROM users WHERE email = $1)"))
                    .bind(email)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE api_tokens SET revoked_at_ms = $1
                 WHERE revoked_at_ms IS NULL AND user_id IN (SELECT id FROM users WHERE email = $2)",
            )
            .bind(crate::now_ms())
            .bind(email)
            .execute(&mut *tx)
            .await?;
            disabled += sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2 AND password_hash <> $1")
                .bind(DISABLED_PASSWORD_HASH)
                .bind(email)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(disabled)
    }
}

/// Loads the demo organisations and accounts once (a real deployment switches this off).
/// Version 2 added one person per finer role: a database seeded at version 1 gets only them.
pub(crate) async fn seed_demo(store: &Store) -> Result<bool, StoreError> {
    let password = NewPassword::parse("password", DEMO_PASSWORD, None).map_err(|e| corrupt(e.message))?;
    // Hash before claiming: the claim holds the write lock, and hashing takes a while.
    let hash = hash_password(&password).await?;
    let Some(mut tx) = crate::seed::claim(store, "demo-accounts", 2).await? else {
        return Ok(false);
    };
    let now = now_ms();
    for (email, name, role, organisation) in DEMO_ACCOUNTS {
        let email = EmailAddress::parse(email).map_err(|e| corrupt(e.message))?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let org_id = match organisation {
            Some(org_name) => {
                let known: Option<String> =
                    sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1 ORDER BY created_at_ms LIMIT 1")
                        .bind(org_name)
                        .fetch_optional(&mut *tx)
                        .await?;
                Some(match known {
                    Some(id) => id,
                    None => {
                        let id = new_id();
                        sqlx::query("INSERT INTO organisations (id, name, created_at_ms) VALUES ($1, $2, $3)")
                            .bind(&id)
                            .bind(org_name)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        id
                    }
                })
            }
            None => None,
        };
        insert_user(&mut tx, &new_id(), &email, name, &hash, role, org_id.as_deref(), now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// What `users.role` holds for `role`: one of the four kinds its CHECK allows, which also
/// says whether the person belongs to an organisation (the role itself is in `full_role`).
fn kind_column(role: Role) -> &'static str {
    match role {
        Role::OrgAdmin => "org-admin",
        Role::Buyer | Role::Finance | Role::ReadOnly => "buyer",
        Role::Admin => "admin",
        Role::SalesEngineer | Role::NetworkOperations | Role::Support => "sales-engineer",
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_user(
    tx: &mut Tx,
    id: &str,
    email: &EmailAddress,
    name: &str,
    hash: &str,
    role: Role,
    organisation: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, full_role, organisation_id, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(email.as_str())
    .bind(name)
    .bind(hash)
    .bind(kind_column(role))
    .bind(role.slug())
    .bind(organisation)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn org_admin_count(tx: &mut Tx, organisation: &Id) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM users WHERE organisation_id = $1 AND role = 'org-admin'")
        .bind(organisation.as_str())
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")
}

/// Deletes an account with everything that names it: its API tokens (they act for it), the
/// notices addressed to it (another organisation's invitation leaves one) and an invitation
/// still waiting for it. Sessions go by cascade.
pub(crate) async fn delete_user(tx: &mut Tx, user: &str) -> Result<(), StoreError> {
    for statement in [
        "DELETE FROM api_tokens WHERE user_id = $1",
        "DELETE FROM notices WHERE user_id = $1",
        "DELETE FROM invitations WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1",
    ] {
        sqlx::query(statement).bind(user).execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let password = NewPassword::parse("password", "violet staple orbit", None).unwrap();
        let hash = hash_password(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(Some(hash.clone()), "violet staple orbit").await);
        assert!(!verify_password(Some(hash), "violet staple orbiT").await);
        assert!(!verify_password(None, "decoy password nobody has").await);
    }
}
