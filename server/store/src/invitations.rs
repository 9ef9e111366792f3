//! Adding a member without telling who already has an account. An org admin's "add a buyer"
//! always records an invitation and answers the same: a new address gets a buyer account that
//! becomes a member at its first sign-in (with the first password the admin passes on); an
//! address that already has an account (in another organisation, or staff) is left as it is
//! and its owner is told on their dashboard. The organisation page lists both kinds of
//! invitation alike until the first sign-in.

use crate::accounts::{hash_password, insert_user, new_id, AccountError, NewAccount};
use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, Role};
use sqlx::Row;

/// An invitation waiting for its first sign-in, as the organisation page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvitation {
    pub id: Id,
    pub email: String,
    pub name: String,
    pub invited_by: String,
    pub created_at_ms: i64,
}

/// A message for one person, shown on their dashboard until dismissed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: Id,
    pub message: String,
    pub created_at_ms: i64,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("invitation {what}"))
}

impl Store {
    /// Invites `account` (a buyer) into its organisation. The same answer whatever the email:
    /// the password is hashed either way (the same work), and inviting an address twice
    /// changes nothing.
    pub async fn invite_member(&self, by: &Actor, account: NewAccount) -> Result<(), AccountError> {
        let hash = hash_password(&account.password).await?;
        match self.record_invitation(by, &account, &hash).await {
            // Another invitation of the same address won a race: the answer stays the same.
            Err(AccountError::Store(StoreError::Database(error))) if crate::accounts::is_unique_violation(&error) => {
                Ok(())
            }
            other => other,
        }
    }

    async fn record_invitation(&self, by: &Actor, account: &NewAccount, hash: &str) -> Result<(), AccountError> {
        let organisation = account.organisation.clone().ok_or(AccountError::NotFound)?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let organisation_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
            .bind(organisation.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AccountError::NotFound)?;
        let already: Option<String> =
            sqlx::query_scalar("SELECT id FROM invitations WHERE organisation_id = $1 AND email = $2")
                .bind(organisation.as_str())
                .bind(account.email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if already.is_some() {
            return Ok(());
        }
        let existing =
            sqlx::query("SELECT id, COALESCE(full_role, role) AS role, organisation_id FROM users WHERE email = $1")
                .bind(account.email.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| {
                    Ok::<_, sqlx::Error>((
                        row.try_get::<String, _>("id")?,
                        row.try_get::<String, _>("role")?,
                        row.try_get::<Option<String>, _>("organisation_id")?,
                    ))
                })
                .transpose()?;
        // Already a member: nothing to invite (the answer stays the same).
        if existing.as_ref().is_some_and(|(_, _, member_of)| member_of.as_deref() == Some(organisation.as_str())) {
            return Ok(());
        }
        let new_user = match existing.as_ref().map(|(id, role, _)| (id, role)) {
            // Lightpath's own staff are never told: a customer-chosen organisation name on a
            // staff dashboard would be a ready-made phishing line.
            Some((_, role)) if Role::parse(role).is_none_or(Role::is_staff) => None,
            Some((owner, _)) => {
                let message = format!(
                    "{} of {organisation_name} tried to add you to {organisation_name} on Lightpath. An account belongs to \
                     one organisation, so nothing changed. If you should work with them, ask them to contact Lightpath.",
                    by.name
                );
                sqlx::query("INSERT INTO notices (id, user_id, message, created_at_ms) VALUES ($1, $2, $3, $4)")
                    .bind(new_id())
                    .bind(owner)
                    .bind(message)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                None
            }
            None => {
                let user = new_id();
                insert_user(
                    &mut tx,
                    &user,
                    &account.email,
                    &account.name,
                    hash,
                    account.role,
                    Some(organisation.as_str()),
                    now,
                )
                .await?;
                Some(user)
            }
        };
        sqlx::query(
            "INSERT INTO invitations (id, organisation_id, email, name, user_id, invited_by, created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(organisation.as_str())
        .bind(account.email.as_str())
        .bind(&account.name)
        .bind(new_user.as_deref())
        .bind(&by.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // The audit log is read by Lightpath admins only: it may say what really happened.
        let after =
            serde_json::json!({ "email": account.email, "name": account.name, "new_account": new_user.is_some() });
        audit::record(
            &mut tx,
            by,
            "account.invite",
            &format!("organisation {organisation}"),
            Some(organisation.as_str()),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's invitations waiting for a first sign-in, oldest first.
    pub async fn pending_invitations(&self, organisation: &Id) -> Result<Vec<PendingInvitation>, StoreError> {
        sqlx::query(
            "SELECT id, email, name, invited_by, created_at_ms FROM invitations
             WHERE organisation_id = $1 ORDER BY created_at_ms, id LIMIT 200",
        )
        .bind(organisation.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            Ok(PendingInvitation {
                id: Id::parse(&id).ok_or_else(|| corrupt(format!("id {id}")))?,
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                invited_by: row.try_get("invited_by")?,
                created_at_ms: row.try_get("created_at_ms")?,
            })
        })
        .collect()
    }

    /// The first sign-in of an invited person makes them a member.
    pub(crate) async fn accept_invitation(&self, user: &Id) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM invitations WHERE user_id = $1").bind(user.as_str()).execute(self.pool()).await?;
        Ok(())
    }

    /// Withdraws an invitation still waiting; the account made for it (never signed in) goes
    /// with it. False when there is no such invitation in this organisation.
    pub async fn withdraw_invitation(
        &self,
        by: &Actor,
        organisation: &Id,
        invitation: &Id,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT email, user_id FROM invitations WHERE id = $1 AND organisation_id = $2")
            .bind(invitation.as_str())
            .bind(organisation.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let (email, user): (String, Option<String>) = (row.try_get("email")?, row.try_get("user_id")?);
        sqlx::query("DELETE FROM invitations WHERE id = $1").bind(invitation.as_str()).execute(&mut *tx).await?;
        if let Some(user) = user {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&user).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sign_in_failures WHERE email = $1").bind(&email).execute(&mut *tx).await?;
            crate::accounts::delete_user(&mut tx, &user).await?;
        }
        let before = serde_json::json!({ "email": email });
        let subject = format!("organisation {organisation}");
        audit::record(
            &mut tx,
            by,
            "account.invite-withdraw",
            &subject,
            Some(organisation.as_str()),
            Change::deleted(before),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The person's notices, newest first.
    pub async fn notices(&self, user: &Id) -> Result<Vec<Notice>, StoreError> {
        sqlx::query(
            "SELECT id, message, created_at_ms FROM notices WHERE user_id = $1 ORDER BY created_at_ms DESC LIMIT 20",
        )
        .bind(user.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            Ok(Notice {
                id: Id::parse(&id).ok_or_else(|| corrupt(format!("notice {id}")))?,
                message: row.try_get("message")?,
                created_at_ms: row.try_get("created_at_ms")?,
            })
        })
        .collect()
    }

    /// Dismisses one of the person's own notices.
    pub async fn dismiss_notice(&self, user: &Id, notice: &Id) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM notices WHERE id = $1 AND user_id = $2")
            .bind(notice.as_str())
            .bind(user.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
