//! Second factors: an authenticator app (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps,
//! one step of clock drift either way) with ten single-use recovery codes, and the sign-in
//! challenge that sits between a right password and a session.
//!
//! A code is never accepted twice: each accepted step is remembered and only a later one is
//! taken. Five wrong codes in a row lock the factor for fifteen minutes. Setting up, removing
//! and every failed code are in the organisation's audit log.

use crate::accounts::{hex, new_token, token_hash, AccountError, Tx, ACTOR_COLUMNS};
use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, SecondFactorCode, SignInMethod, TwoStepPolicy};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;
use totp_rs::{Algorithm, Secret, TOTP};

/// How many second factors the person `u` has (a confirmed authenticator app, passkeys), as
/// a column: what makes sign-in ask for a second step and sensitive changes for a fresh one.
pub(crate) const FACTOR_COUNT: &str =
    "CAST((SELECT COUNT(*) FROM totp_factors f WHERE f.user_id = u.id AND f.confirmed_at_ms IS NOT NULL)
        + (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = u.id) AS BIGINT)";

/// The name authenticator apps show above the code.
const ISSUER: &str = "Lightpath";
/// Seconds per code.
const STEP_SECS: i64 = 30;
/// Wrong codes in a row before the factor locks.
pub const MAX_WRONG_CODES: i64 = 5;
const LOCK_MS: i64 = 15 * 60 * 1000;
/// How long a right password waits for its code.
pub const CHALLENGE_MS: i64 = 5 * 60 * 1000;
const RECOVERY_CODES: usize = 10;
/// The letters of a recovery code: no 0/O or 1/I to misread.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// What the set-up page shows: the secret as text, as an `otpauth://` link and as a QR code.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    pub secret: String,
    pub url: String,
    /// The QR code of `url` as an SVG document (made here, never from input).
    pub qr_svg: String,
}

fn totp(secret: &str, issuer: &str, account: &str) -> Result<TOTP, StoreError> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|_| StoreError::Corrupt("a TOTP secret is not base32".into()))?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECS as u64, bytes, Some(issuer.to_owned()), account.to_owned())
        .map_err(|error| StoreError::Corrupt(format!("TOTP secret: {error}")))
}

/// The step `code` belongs to, among the current one and one either side, if it is later than
/// `last_step`; compared in constant time.
fn matching_step(totp: &TOTP, code: &str, last_step: i64, now_ms: i64) -> Option<i64> {
    let now_step = now_ms.div_euclid(1000) / STEP_SECS;
    (now_step - 1..=now_step + 1).filter(|step| *step > last_step).find(|step| {
        let expected = totp.generate((*step * STEP_SECS) as u64);
        expected.len() == code.len() && expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

fn recovery_hash(code: &str) -> String {
    hex(&Sha256::digest(code.as_bytes()))
}

/// Ten fresh recovery codes, as shown: `ABCDE-FGHJK`.
fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rng.fill_bytes(&mut bytes);
            let letters: String =
                bytes.iter().map(|b| RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()] as char).collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

fn organisation_of(actor: &Actor) -> Option<&str> {
    actor.organisation.as_ref().map(|organisation| organisation.id.as_str())
}

/// A factor's state, read in the transaction that decides on a code.
struct FactorRow {
    secret: String,
    confirmed: bool,
    last_step: i64,
    failures: i64,
    locked_until_ms: i64,
}

async fn factor_row(tx: &mut Tx, user: &Id) -> Result<Option<FactorRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT secret, confirmed_at_ms, last_step, failures, locked_until_ms FROM totp_factors WHERE user_id = $1",
    )
    .bind(user.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| {
        Ok(FactorRow {
            secret: row.try_get("secret")?,
            confirmed: row.try_get::<Option<i64>, _>("confirmed_at_ms")?.is_some(),
            last_step: row.try_get("last_step")?,
            failures: row.try_get("failures")?,
            locked_until_ms: row.try_get("locked_until_ms")?,
        })
    })
    .transpose()
}

/// A locked factor takes no code, right or wrong, until the lock ends.
fn refuse_while_locked(factor: &FactorRow, now: i64) -> Result<(), AccountError> {
    if factor.locked_until_ms > now {
        let retry_after_secs = u64::try_from((factor.locked_until_ms - now + 999) / 1000).unwrap_or(1);
        return Err(AccountError::TooManyAttempts { retry_after_secs });
    }
    Ok(())
}

/// Counts a wrong code; the fifth in a row locks the factor. Audited as a failed sign-in (or
/// a failed check of a signed-in person).
async fn count_wrong_code(tx: &mut Tx, actor: &Actor, factor: &FactorRow, now: i64) -> Result<(), sqlx::Error> {
    let failures = factor.failures + 1;
    let (failures, locked_until) = if failures >= MAX_WRONG_CODES { (0, now + LOCK_MS) } else { (failures, 0) };
    sqlx::query("UPDATE totp_factors SET failures = $1, locked_until_ms = $2 WHERE user_id = $3")
        .bind(failures)
        .bind(locked_until)
        .bind(actor.id.as_str())
        .execute(&mut **tx)
        .await?;
    let after = serde_json::json!({ "method": "totp", "locked": locked_until > 0 });
    audit::record(
        tx,
        actor,
        "account.second-factor-failed",
        &format!("user {}", actor.id),
        organisation_of(actor),
        Change::created(after),
    )
    .await
}

impl Store {
    /// A stored TOTP secret, opened: sealed with the server's key since single sign-on's
    /// change (an authenticator set up before it is still stored as it was, and read as such).
    fn totp_secret(&self, stored: &str) -> Result<String, StoreError> {
        if stored.starts_with("v1:") {
            self.secret_key()?.open(stored)
        } else {
            Ok(stored.to_owned())
        }
    }

    /// Starts (or starts again) setting up an authenticator for `actor`: a new secret, not
    /// used for sign-in until a first code confirms it. Refused when one is already on.
    pub async fn start_totp(&self, actor: &Actor) -> Result<TotpSetup, AccountError> {
        let mut tx = self.begin_write().await?;
        if factor_row(&mut tx, &actor.id).await?.is_some_and(|factor| factor.confirmed) {
            return Err(AccountError::Refused(
                "Your authenticator app is already set up. Turn it off first to change it.",
            ));
        }
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        let secret = match Secret::Raw(bytes.to_vec()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => unreachable!("to_encoded answers Encoded"),
        };
        sqlx::query("DELETE FROM totp_factors WHERE user_id = $1").bind(actor.id.as_str()).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO totp_factors (user_id, secret, confirmed_at_ms, last_step, failures, locked_until_ms, created_at_ms)
             VALUES ($1, $2, NULL, 0, 0, 0, $3)",
        )
        .bind(actor.id.as_str())
        .bind(self.secret_key()?.seal(&secret)?)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let url = totp(&secret, ISSUER, actor.email.as_str())?.get_url();
        let qr_svg = qrcode::QrCode::new(url.as_bytes())
            .map_err(|error| StoreError::Corrupt(format!("QR code: {error}")))?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build();
        Ok(TotpSetup { secret, url, qr_svg })
    }

    /// Confirms the authenticator being set up with a first code; answers the ten recovery
    /// codes, shown once (only their hashes are kept).
    pub async fn confirm_totp(&self, actor: &Actor, code: &str) -> Result<Vec<String>, AccountError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let factor = factor_row(&mut tx, &actor.id).await?.filter(|factor| !factor.confirmed).ok_or(
            AccountError::Refused("Start setting up the authenticator app again: nothing is waiting for a code."),
        )?;
        let step =
            matching_step(&totp(&self.totp_secret(&factor.secret)?, ISSUER, actor.email.as_str())?, code, 0, now)
                .ok_or(AccountError::WrongCode)?;
        sqlx::query("UPDATE totp_factors SET confirmed_at_ms = $1, last_step = $2 WHERE user_id = $3")
            .bind(now)
            .bind(step)
            .bind(actor.id.as_str())
            .execute(&mut *tx)
            .await?;
        let codes = new_recovery_codes();
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(actor.id.as_str()).execute(&mut *tx).await?;
        for code in &codes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, used_at_ms) VALUES ($1, $2, NULL)")
                .bind(actor.id.as_str())
                .bind(recovery_hash(&code.replace('-', "")))
                .execute(&mut *tx)
                .await?;
        }
        let after = serde_json::json!({ "factor": "totp", "recovery_codes": RECOVERY_CODES });
        audit::record(
            &mut tx,
            actor,
            "account.second-factor-add",
            &format!("user {}", actor.id),
            organisation_of(actor),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Whether `user` signs in with a second factor (a confirmed authenticator or a passkey).
    pub async fn has_second_factor(&self, user: &Id) -> Result<bool, StoreError> {
        let factors: i64 = sqlx::query_scalar(&format!("SELECT {FACTOR_COUNT} FROM users u WHERE u.id = $1"))
            .bind(user.as_str())
            .fetch_optional(self.pool())
            .await?
            .unwrap_or(0);
        Ok(factors > 0)
    }

    /// When `user`'s authenticator was confirmed, and how many recovery codes are left.
    pub async fn second_factor_status(&self, user: &Id) -> Result<Option<(i64, i64)>, StoreError> {
        let confirmed: Option<Option<i64>> =
            sqlx::query_scalar("SELECT confirmed_at_ms FROM totp_factors WHERE user_id = $1")
                .bind(user.as_str())
                .fetch_optional(self.pool())
                .await?;
        let Some(confirmed) = confirmed.flatten() else { return Ok(None) };
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at_ms IS NULL")
                .bind(user.as_str())
                .fetch_one(self.pool())
                .await?;
        Ok(Some((confirmed, left)))
    }

    /// A right password of someone with a second factor: the token the browser keeps while
    /// it asks for the code. Expired challenges of everyone are swept here.
    pub async fn create_challenge(&self, user: &Id) -> Result<String, StoreError> {
        let (token, now) = (new_token(), now_ms());
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at_ms <= $1").bind(now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sign_in_challenges (token_hash, user_id, expires_at_ms) VALUES ($1, $2, $3)")
            .bind(token_hash(&token))
            .bind(user.as_str())
            .bind(now + CHALLENGE_MS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Checks the second factor of a waiting sign-in. A right code ends the challenge and
    /// answers who signed in and how; a wrong one counts toward the lock.
    pub async fn answer_challenge(
        &self,
        challenge: &str,
        code: &SecondFactorCode,
    ) -> Result<(Actor, SignInMethod), AccountError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT c.expires_at_ms, {ACTOR_COLUMNS} JOIN sign_in_challenges c ON c.user_id = u.id WHERE c.token_hash = $1"
        ))
        .bind(token_hash(challenge))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AccountError::ChallengeExpired)?;
        if row.try_get::<i64, _>("expires_at_ms")? <= now {
            return Err(AccountError::ChallengeExpired);
        }
        let actor = crate::accounts::actor_from_row(&row)?;
        let factor = factor_row(&mut tx, &actor.id)
            .await?
            .filter(|factor| factor.confirmed)
            .ok_or(AccountError::ChallengeExpired)?;
        refuse_while_locked(&factor, now)?;
        let method = consume_code(self, &mut tx, &actor, &factor, code, now).await?;
        match method {
            Some(method) => {
                sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
                    .bind(token_hash(challenge))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok((actor, method))
            }
            None => {
                count_wrong_code(&mut tx, &actor, &factor, now).await?;
                tx.commit().await?;
                Err(AccountError::WrongCode)
            }
        }
    }

    /// "Confirm it's you": a code from `actor`'s authenticator (or a recovery code), used up
    /// as at sign-in, makes `session` count as having proven it now, for sensitive changes.
    pub async fn confirm_its_you(
        &self,
        actor: &Actor,
        session: &str,
        code: &SecondFactorCode,
    ) -> Result<(), AccountError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let factor = factor_row(&mut tx, &actor.id)
            .await?
            .filter(|factor| factor.confirmed)
            .ok_or(AccountError::Refused("Your account has no authenticator app: nothing to confirm."))?;
        refuse_while_locked(&factor, now)?;
        if consume_code(self, &mut tx, actor, &factor, code, now).await?.is_none() {
            count_wrong_code(&mut tx, actor, &factor, now).await?;
            tx.commit().await?;
            return Err(AccountError::WrongCode);
        }
        sqlx::query("UPDATE sessions SET factor_proven_at_ms = $1 WHERE token_hash = $2 AND user_id = $3")
            .bind(now)
            .bind(token_hash(session))
            .bind(actor.id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns off `actor`'s own authenticator, which a current code (or recovery code) proves
    /// they still hold; the recovery codes go with it.
    pub async fn remove_own_totp(&self, actor: &Actor, code: &SecondFactorCode) -> Result<(), AccountError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let factor = factor_row(&mut tx, &actor.id)
            .await?
            .filter(|factor| factor.confirmed)
            .ok_or(AccountError::Refused("Your account has no authenticator app to turn off."))?;
        refuse_while_locked(&factor, now)?;
        let proven = match code {
            SecondFactorCode::Totp(code) => {
                let totp = totp(&self.totp_secret(&factor.secret)?, ISSUER, actor.email.as_str())?;
                matching_step(&totp, code, factor.last_step, now).is_some()
            }
            SecondFactorCode::Recovery(code) => sqlx::query_scalar::<_, String>(
                "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at_ms IS NULL",
            )
            .bind(actor.id.as_str())
            .bind(recovery_hash(code))
            .fetch_optional(&mut *tx)
            .await?
            .is_some(),
        };
        if !proven {
            count_wrong_code(&mut tx, actor, &factor, now).await?;
            tx.commit().await?;
            return Err(AccountError::WrongCode);
        }
        delete_factor(&mut tx, &actor.id).await?;
        audit::record(
            &mut tx,
            actor,
            "account.second-factor-remove",
            &format!("user {}", actor.id),
            organisation_of(actor),
            Change::deleted(serde_json::json!({ "factor": "totp", "by": "themselves" })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member's second factor for them (they lost their phone): their organisation's
    /// admin or a Lightpath admin, audited. `within` limits it to one organisation's members.
    pub async fn remove_member_totp(&self, by: &Actor, user: &Id, within: Option<&Id>) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let organisation: Option<String> = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1")
            .bind(user.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        if within.is_some_and(|within| organisation.as_deref() != Some(within.as_str())) {
            return Err(AccountError::NotFound);
        }
        let passkeys =
            sqlx::query("DELETE FROM passkeys WHERE user_id = $1").bind(user.as_str()).execute(&mut *tx).await?;
        let totp = delete_factor(&mut tx, user).await?;
        if !totp && passkeys.rows_affected() == 0 {
            return Err(AccountError::Refused("They have no authenticator app or passkey to remove."));
        }
        audit::record(
            &mut tx,
            by,
            "account.second-factor-remove",
            &format!("user {user}"),
            organisation.as_deref(),
            Change::deleted(serde_json::json!({
                "factor": if totp { "totp" } else { "passkeys" },
                "passkeys": passkeys.rows_affected(),
                "by": by.email,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A session that just proved a second factor (its person set one up in it) counts as
    /// signed in with it (`method`) from now on.
    pub async fn mark_session_multi_factor(&self, session: &str, method: SignInMethod) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET method = $1, factor_proven_at_ms = $2 WHERE token_hash = $3")
            .bind(method.slug())
            .bind(now_ms())
            .bind(token_hash(session))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whom `organisation` requires to sign in with a second factor.
    pub async fn two_step_policy(&self, organisation: &Id) -> Result<Option<TwoStepPolicy>, StoreError> {
        let policy: Option<String> = sqlx::query_scalar("SELECT two_step_policy FROM organisations WHERE id = $1")
            .bind(organisation.as_str())
            .fetch_optional(self.pool())
            .await?;
        policy
            .map(|policy| TwoStepPolicy::parse(&policy).ok_or_else(|| StoreError::Corrupt(format!("policy {policy}"))))
            .transpose()
    }

    /// Sets whom `organisation` requires to sign in with a second factor, audited.
    pub async fn set_two_step_policy(
        &self,
        by: &Actor,
        organisation: &Id,
        policy: TwoStepPolicy,
    ) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query_scalar("SELECT two_step_policy FROM organisations WHERE id = $1")
            .bind(organisation.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        sqlx::query("UPDATE organisations SET two_step_policy = $1 WHERE id = $2")
            .bind(policy.slug())
            .bind(organisation.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            by,
            "organisation.two-step-policy",
            &format!("organisation {organisation}"),
            Some(organisation.as_str()),
            Change::updated(serde_json::json!({ "policy": before }), serde_json::json!({ "policy": policy.slug() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The members of `organisation` who sign in with a second factor.
    pub async fn members_with_second_factor(&self, organisation: &Id) -> Result<Vec<Id>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT u.id FROM users u WHERE u.organisation_id = $1 AND {FACTOR_COUNT} > 0"
        ))
        .bind(organisation.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(ids.iter().filter_map(|id| Id::parse(id)).collect())
    }
}

/// Checks `code` against `actor`'s confirmed authenticator and uses it up: a code's step is
/// never accepted again, a recovery code only once. Answers how the person proved it, or None
/// for a wrong code (the caller counts it towards the lock).
async fn consume_code(
    store: &Store,
    tx: &mut Tx,
    actor: &Actor,
    factor: &FactorRow,
    code: &SecondFactorCode,
    now: i64,
) -> Result<Option<SignInMethod>, AccountError> {
    Ok(match code {
        SecondFactorCode::Totp(code) => {
            let totp = totp(&store.totp_secret(&factor.secret)?, ISSUER, actor.email.as_str())?;
            match matching_step(&totp, code, factor.last_step, now) {
                Some(step) => {
                    sqlx::query("UPDATE totp_factors SET last_step = $1, failures = 0 WHERE user_id = $2")
                        .bind(step)
                        .bind(actor.id.as_str())
                        .execute(&mut **tx)
                        .await?;
                    Some(SignInMethod::PasswordAndTotp)
                }
                None => None,
            }
        }
        SecondFactorCode::Recovery(code) => {
            let used = sqlx::query(
                "UPDATE recovery_codes SET used_at_ms = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at_ms IS NULL",
            )
            .bind(now)
            .bind(actor.id.as_str())
            .bind(recovery_hash(code))
            .execute(&mut **tx)
            .await?
            .rows_affected()
                == 1;
            if used {
                sqlx::query("UPDATE totp_factors SET failures = 0 WHERE user_id = $1")
                    .bind(actor.id.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            used.then_some(SignInMethod::PasswordAndRecoveryCode)
        }
    })
}

/// Deletes a person's authenticator and recovery codes; whether there was one.
async fn delete_factor(tx: &mut Tx, user: &Id) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.as_str()).execute(&mut **tx).await?;
    let removed =
        sqlx::query("DELETE FROM totp_factors WHERE user_id = $1").bind(user.as_str()).execute(&mut **tx).await?;
    Ok(removed.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_but_never_an_older_step_again() {
        let totp = totp(SECRET, ISSUER, "someone@example.com").unwrap();
        let now = 1_765_000_000_000_i64;
        let step = now / 1000 / STEP_SECS;
        let code = totp.generate((step * STEP_SECS) as u64);
        assert_eq!(matching_step(&totp, &code, 0, now), Some(step));
        assert_eq!(matching_step(&totp, &code, step, now), None, "the same step twice");
        let previous = totp.generate(((step - 1) * STEP_SECS) as u64);
        assert_eq!(matching_step(&totp, &previous, 0, now), Some(step - 1), "one step of drift");
        let old = totp.generate(((step - 2) * STEP_SECS) as u64);
        assert_eq!(matching_step(&totp, &old, 0, now), None, "two steps back");
        assert_eq!(matching_step(&totp, "12345", 0, now), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_readable_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert!(SecondFactorCode::parse(code).is_ok_and(|parsed| matches!(parsed, SecondFactorCode::Recovery(_))));
            assert!(!code.contains(['0', 'O', '1', 'I']));
        }
    }
}
