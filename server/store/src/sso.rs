//! Single sign-on registrations (one OpenID Connect provider per customer organisation), the
//! email domains that lead to them, the sign-ins waiting at a provider, and the members a
//! verified sign-in finds or creates. The rules are `lightpath_domain::sso`'s; the provider's
//! HTTP is the server's (`server/src/sso.rs`).

use crate::accounts::{insert_user, is_unique_violation, new_id, new_token, token_hash, AccountError, ACTOR_COLUMNS};
use crate::audit::{self, Change};
use crate::factors::FACTOR_COUNT;
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, EmailAddress, Id, Role};
use lightpath_domain::sso::{parse_group_roles, GroupRole, SsoMode, SsoOutcome, VerifiedIdentity};
use sqlx::Row;

/// How long a sign-in may stay at the provider before its answer is refused.
pub const LOGIN_MS: i64 = 10 * 60 * 1000;

/// An organisation's registered provider, its client secret opened.
#[derive(Debug, Clone)]
pub struct SsoProvider {
    pub organisation: Id,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub domains: Vec<String>,
    pub create_members: bool,
    pub group_roles: Vec<GroupRole>,
    pub default_role: Role,
    pub mode: SsoMode,
    pub break_glass: Option<Id>,
    /// When a test sign-in last succeeded with these settings, and what it received.
    pub tested: Option<(i64, VerifiedIdentity)>,
    pub updated_at_ms: i64,
}

/// What an organisation's admin saves. `client_secret: None` keeps the stored one.
#[derive(Debug, Clone)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub domains: Vec<String>,
    pub create_members: bool,
    pub group_roles: Vec<GroupRole>,
    pub default_role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("{domain} is already signed in through another organisation’s identity provider.")]
    DomainTaken { domain: String },
    #[error("{domain} is the email domain of people in another organisation (or Lightpath’s staff): an organisation may only cover domains its own members use.")]
    DomainUsedElsewhere { domain: String },
    #[error("Enter the client secret your identity provider gave Lightpath.")]
    SecretMissing,
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SsoError {
    fn from(error: sqlx::Error) -> Self {
        SsoError::Store(StoreError::Database(error))
    }
}

/// Why a sign-in went to the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginPurpose {
    /// The organisation's admin checking the settings: nobody is signed in by it.
    Test,
    SignIn,
}

impl LoginPurpose {
    fn slug(self) -> &'static str {
        match self {
            LoginPurpose::Test => "test",
            LoginPurpose::SignIn => "sign-in",
        }
    }
}

/// A sign-in that came back from the provider, taken (so never used twice).
#[derive(Debug, Clone)]
pub struct SsoLogin {
    pub organisation: Id,
    pub purpose: LoginPurpose,
    pub pkce_verifier: String,
    pub nonce: String,
    pub next: Option<String>,
    pub created_at_ms: i64,
}

/// Where an email's sign-in goes: its domain's organisation and how that uses its provider.
#[derive(Debug, Clone)]
pub struct SsoRoute {
    pub organisation: Id,
    pub mode: SsoMode,
    pub break_glass: Option<Id>,
}

fn domain_of(email: &EmailAddress) -> &str {
    email.as_str().rsplit_once('@').map_or("", |(_, domain)| domain)
}

impl Store {
    /// The organisation's provider, if it registered one.
    pub async fn sso_provider(&self, organisation: &Id) -> Result<Option<SsoProvider>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT issuer, client_id, client_secret_sealed, create_members, group_roles, default_role, mode,
                    break_glass_user_id, tested_at_ms, tested_claims, updated_at_ms
             FROM sso_providers WHERE organisation_id = $1",
        )
        .bind(organisation.as_str())
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        let corrupt = |what: &str| StoreError::Corrupt(format!("single sign-on of {organisation}: {what}"));
        let domains = sqlx::query("SELECT domain FROM sso_domains WHERE organisation_id = $1 ORDER BY domain")
            .bind(organisation.as_str())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| row.try_get::<String, _>("domain"))
            .collect::<Result<Vec<_>, _>>()?;
        let sealed: String = row.try_get("client_secret_sealed")?;
        let group_roles: String = row.try_get("group_roles")?;
        let (default_role, mode): (String, String) = (row.try_get("default_role")?, row.try_get("mode")?);
        let break_glass: Option<String> = row.try_get("break_glass_user_id")?;
        let tested_at: Option<i64> = row.try_get("tested_at_ms")?;
        let claims: Option<String> = row.try_get("tested_claims")?;
        let tested = match (tested_at, claims) {
            (Some(at), Some(claims)) => Some((at, serde_json::from_str(&claims).map_err(|_| corrupt("test claims"))?)),
            _ => None,
        };
        Ok(Some(SsoProvider {
            organisation: organisation.clone(),
            issuer: row.try_get("issuer")?,
            client_id: row.try_get("client_id")?,
            client_secret: self.secret_key()?.open(&sealed)?,
            domains,
            create_members: row.try_get::<i64, _>("create_members")? != 0,
            group_roles: parse_group_roles(&group_roles).map_err(|_| corrupt("group mapping"))?,
            default_role: Role::parse(&default_role).ok_or_else(|| corrupt("default role"))?,
            mode: SsoMode::parse(&mode).ok_or_else(|| corrupt("mode"))?,
            break_glass: break_glass
                .as_deref()
                .map(|id| Id::parse(id).ok_or_else(|| corrupt("break-glass admin")))
                .transpose()?,
            tested,
            updated_at_ms: row.try_get("updated_at_ms")?,
        }))
    }

    /// Registers or changes the organisation's provider. A domain may be covered by one
    /// organisation only, and only if no account outside it uses that domain. Any saved change
    /// switches single sign-on off and forgets the last test: it must be tested again.
    pub async fn save_sso_settings(
        &self,
        by: &Actor,
        organisation: &Id,
        settings: SsoSettings,
    ) -> Result<(), SsoError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        for domain in &settings.domains {
            let owner: Option<String> = sqlx::query("SELECT organisation_id FROM sso_domains WHERE domain = $1")
                .bind(domain)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("organisation_id"))
                .transpose()?;
            if owner.is_some_and(|owner| owner != organisation.as_str()) {
                return Err(SsoError::DomainTaken { domain: domain.clone() });
            }
            let outsiders: i64 = sqlx::query(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users
                 WHERE email LIKE $1 AND (organisation_id IS NULL OR organisation_id <> $2)",
            )
            // A parsed domain holds only letters, digits, dots and hyphens: nothing LIKE reads
            // as a wildcard.
            .bind(format!("%@{domain}"))
            .bind(organisation.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
            if outsiders > 0 {
                return Err(SsoError::DomainUsedElsewhere { domain: domain.clone() });
            }
        }
        let existing: Option<String> =
            sqlx::query("SELECT client_secret_sealed FROM sso_providers WHERE organisation_id = $1")
                .bind(organisation.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("client_secret_sealed"))
                .transpose()?;
        let sealed = match (&settings.client_secret, existing) {
            (Some(secret), _) => self.secret_key()?.seal(secret)?,
            (None, Some(sealed)) => sealed,
            (None, None) => return Err(SsoError::SecretMissing),
        };
        let group_roles = lightpath_domain::sso::group_roles_text(&settings.group_roles);
        sqlx::query(
            "INSERT INTO sso_providers (organisation_id, issuer, client_id, client_secret_sealed, create_members,
                 group_roles, default_role, mode, tested_at_ms, tested_claims, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'off', NULL, NULL, $8)
             ON CONFLICT (organisation_id) DO UPDATE SET issuer = $2, client_id = $3, client_secret_sealed = $4,
                 create_members = $5, group_roles = $6, default_role = $7, mode = 'off', tested_at_ms = NULL,
                 tested_claims = NULL, updated_at_ms = $8",
        )
        .bind(organisation.as_str())
        .bind(&settings.issuer)
        .bind(&settings.client_id)
        .bind(&sealed)
        .bind(i64::from(settings.create_members))
        .bind(&group_roles)
        .bind(settings.default_role.slug())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sso_domains WHERE organisation_id = $1")
            .bind(organisation.as_str())
            .execute(&mut *tx)
            .await?;
        for domain in &settings.domains {
            let inserted = sqlx::query("INSERT INTO sso_domains (domain, organisation_id) VALUES ($1, $2)")
                .bind(domain)
                .bind(organisation.as_str())
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(error) if is_unique_violation(&error) => {
                    return Err(SsoError::DomainTaken { domain: domain.clone() })
                }
                other => other?,
            };
        }
        // Never the secret: only whether a new one was set.
        let after = serde_json::json!({
            "issuer": settings.issuer,
            "client_id": settings.client_id,
            "new_client_secret": settings.client_secret.is_some(),
            "domains": settings.domains,
            "create_members": settings.create_members,
            "group_roles": group_roles,
            "default_role": settings.default_role.slug(),
        });
        let subject = format!("organisation {organisation}");
        audit::record(
            &mut tx,
            by,
            "organisation.sso-settings",
            &subject,
            Some(organisation.as_str()),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Switches single sign-on off, on or to enforced, naming the break-glass admin (an
    /// organisation admin of this organisation with an authenticator app) for enforced.
    pub async fn set_sso_mode(
        &self,
        by: &Actor,
        organisation: &Id,
        mode: SsoMode,
        break_glass: Option<&Id>,
    ) -> Result<(), SsoError> {
        let provider = self
            .sso_provider(organisation)
            .await?
            .ok_or_else(|| SsoError::Refused("Save the provider’s settings first.".into()))?;
        let break_glass_has_factor = match break_glass {
            None => None,
            Some(user) => {
                let row = sqlx::query(&format!(
                    "SELECT COALESCE(u.full_role, u.role) AS role, {FACTOR_COUNT} AS factors
                     FROM users u WHERE u.id = $1 AND u.organisation_id = $2"
                ))
                .bind(user.as_str())
                .bind(organisation.as_str())
                .fetch_optional(self.pool())
                .await?
                .ok_or_else(|| {
                    SsoError::Refused("The break-glass admin must be a member of this organisation.".into())
                })?;
                let role: String = row.try_get("role")?;
                if Role::parse(&role) != Some(Role::OrgAdmin) {
                    return Err(SsoError::Refused("The break-glass admin must be an organisation admin.".into()));
                }
                Some(row.try_get::<i64, _>("factors")? > 0)
            }
        };
        if let Some(why) = lightpath_domain::sso::mode_refusal(mode, provider.tested.is_some(), break_glass_has_factor)
        {
            return Err(SsoError::Refused(why.into()));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE sso_providers SET mode = $1, break_glass_user_id = $2 WHERE organisation_id = $3")
            .bind(mode.slug())
            .bind(break_glass.map(Id::as_str))
            .bind(organisation.as_str())
            .execute(&mut *tx)
            .await?;
        let before = serde_json::json!({ "mode": provider.mode.slug(), "break_glass": provider.break_glass });
        let after = serde_json::json!({ "mode": mode.slug(), "break_glass": break_glass });
        let subject = format!("organisation {organisation}");
        audit::record(
            &mut tx,
            by,
            "organisation.sso-mode",
            &subject,
            Some(organisation.as_str()),
            Change::updated(before, after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Where `email`'s domain signs in, if an organisation's provider covers it.
    pub async fn sso_route(&self, email: &EmailAddress) -> Result<Option<SsoRoute>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT p.organisation_id, p.mode, p.break_glass_user_id FROM sso_domains d
             JOIN sso_providers p ON p.organisation_id = d.organisation_id WHERE d.domain = $1",
        )
        .bind(domain_of(email))
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        self.route_from_row(&row).map(Some)
    }

    /// How the organisation of a signed-up member uses its provider (whatever their domain).
    pub async fn sso_route_of_organisation(&self, organisation: &Id) -> Result<Option<SsoRoute>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT organisation_id, mode, break_glass_user_id FROM sso_providers WHERE organisation_id = $1",
        )
        .bind(organisation.as_str())
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        self.route_from_row(&row).map(Some)
    }

    fn route_from_row(&self, row: &sqlx::any::AnyRow) -> Result<SsoRoute, StoreError> {
        let corrupt = || StoreError::Corrupt("single sign-on route".into());
        let organisation: String = row.try_get("organisation_id")?;
        let mode: String = row.try_get("mode")?;
        let break_glass: Option<String> = row.try_get("break_glass_user_id")?;
        Ok(SsoRoute {
            organisation: Id::parse(&organisation).ok_or_else(corrupt)?,
            mode: SsoMode::parse(&mode).ok_or_else(corrupt)?,
            break_glass: break_glass.as_deref().and_then(Id::parse),
        })
    }

    /// Remembers a sign-in sent to `organisation`'s provider; answers its state, which the
    /// browser carries there and back. Sign-ins older than [`LOGIN_MS`] are swept here.
    pub async fn begin_sso_login(
        &self,
        organisation: &Id,
        purpose: LoginPurpose,
        pkce_verifier: &str,
        nonce: &str,
        next: Option<&str>,
    ) -> Result<String, StoreError> {
        let (state, now) = (new_token(), now_ms());
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sso_logins WHERE created_at_ms <= $1").bind(now - LOGIN_MS).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO sso_logins (state_hash, organisation_id, purpose, pkce_verifier, nonce, next_path, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash(&state))
        .bind(organisation.as_str())
        .bind(purpose.slug())
        .bind(pkce_verifier)
        .bind(nonce)
        .bind(next)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Takes the sign-in `state` names: it is gone afterwards, whatever the answer was, and
    /// one older than [`LOGIN_MS`] is not answered.
    pub async fn take_sso_login(&self, state: &str) -> Result<Option<SsoLogin>, StoreError> {
        let hash = token_hash(state);
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT organisation_id, purpose, pkce_verifier, nonce, next_path, created_at_ms FROM sso_logins
             WHERE state_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        let taken = sqlx::query("DELETE FROM sso_logins WHERE state_hash = $1").bind(&hash).execute(&mut *tx).await?;
        tx.commit().await?;
        let Some(row) = row.filter(|_| taken.rows_affected() == 1) else { return Ok(None) };
        let created_at_ms: i64 = row.try_get("created_at_ms")?;
        if now_ms() - created_at_ms > LOGIN_MS {
            return Ok(None);
        }
        let organisation: String = row.try_get("organisation_id")?;
        let purpose: String = row.try_get("purpose")?;
        Ok(Some(SsoLogin {
            organisation: Id::parse(&organisation).ok_or_else(|| StoreError::Corrupt("sign-in organisation".into()))?,
            purpose: if purpose == "test" { LoginPurpose::Test } else { LoginPurpose::SignIn },
            pkce_verifier: row.try_get("pkce_verifier")?,
            nonce: row.try_get("nonce")?,
            next: row.try_get("next_path")?,
            created_at_ms,
        }))
    }

    /// Records what a test sign-in received, unless the settings changed since it began (it
    /// then tested settings that are no longer there).
    pub async fn record_sso_test(
        &self,
        by: &Actor,
        login: &SsoLogin,
        identity: &VerifiedIdentity,
    ) -> Result<bool, StoreError> {
        let now = now_ms();
        let claims = serde_json::to_string(identity).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE sso_providers SET tested_at_ms = $1, tested_claims = $2
             WHERE organisation_id = $3 AND updated_at_ms <= $4",
        )
        .bind(now)
        .bind(&claims)
        .bind(login.organisation.as_str())
        .bind(login.created_at_ms)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            let subject = format!("organisation {}", login.organisation);
            let after =
                serde_json::json!({ "subject": identity.subject, "email": identity.email, "groups": identity.groups });
            audit::record(
                &mut tx,
                by,
                "organisation.sso-test",
                &subject,
                Some(login.organisation.as_str()),
                Change::created(after),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(updated.rows_affected() == 1)
    }

    /// The email address of an account.
    pub async fn email_of(&self, user: &Id) -> Result<Option<EmailAddress>, StoreError> {
        let row = sqlx::query("SELECT email FROM users WHERE id = $1")
            .bind(user.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(row
            .map(|row| row.try_get::<String, _>("email"))
            .transpose()?
            .and_then(|email| EmailAddress::parse(&email).ok()))
    }

    /// Whether `email` is an account, and whether of `organisation`.
    pub async fn account_membership(
        &self,
        email: &EmailAddress,
        organisation: &Id,
    ) -> Result<Option<bool>, StoreError> {
        let row = sqlx::query("SELECT organisation_id FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            None => None,
            Some(row) => {
                Some(row.try_get::<Option<String>, _>("organisation_id")?.as_deref() == Some(organisation.as_str()))
            }
        })
    }

    /// The member a verified sign-in signs in: found by email in `organisation`, or created
    /// with the role the decision gave (audited as the provider's doing, by the new member).
    pub async fn sso_member(
        &self,
        organisation: &Id,
        outcome: &SsoOutcome,
        identity: &VerifiedIdentity,
    ) -> Result<Actor, AccountError> {
        let email = match outcome {
            SsoOutcome::Existing(email) => email,
            SsoOutcome::Create { email, name, role } => {
                let (user_id, now) = (new_id(), now_ms());
                let mut tx = self.begin_write().await?;
                // No password: "!sso" is no argon2 hash, so no password ever matches it.
                match insert_user(&mut tx, &user_id, email, name, "!sso", *role, Some(organisation.as_str()), now).await
                {
                    Err(error) if is_unique_violation(&error) => return Err(AccountError::EmailTaken),
                    other => other?,
                };
                let created = self.actor_in(&mut tx, email, organisation).await?;
                let after = serde_json::json!({
                    "email": email, "name": name, "role": role, "by": "single sign-on", "subject": identity.subject,
                });
                let subject = format!("user {user_id}");
                audit::record(
                    &mut tx,
                    &created,
                    "account.create",
                    &subject,
                    Some(organisation.as_str()),
                    Change::created(after),
                )
                .await?;
                tx.commit().await?;
                return Ok(created);
            }
        };
        let mut tx = self.begin_write().await?;
        let actor = self.actor_in(&mut tx, email, organisation).await?;
        tx.commit().await?;
        Ok(actor)
    }

    async fn actor_in(
        &self,
        tx: &mut crate::accounts::Tx,
        email: &EmailAddress,
        organisation: &Id,
    ) -> Result<Actor, AccountError> {
        let row = sqlx::query(&format!("SELECT {ACTOR_COLUMNS} WHERE u.email = $1 AND u.organisation_id = $2"))
            .bind(email.as_str())
            .bind(organisation.as_str())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        Ok(crate::accounts::actor_from_row(&row)?)
    }
}
