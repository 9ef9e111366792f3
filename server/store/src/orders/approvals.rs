//! The customer's own approval of large orders (app/domain/src/approval.rs): the amount an
//! organisation sets, the wait at placing, and a second member's decision, after which an
//! approved order meets Lightpath's credit check like any other.

use super::placing::{credit_hold, decided, queue};
use super::*;
use crate::accounts::AccountError;
use lightpath_domain::account::Role;
use lightpath_domain::approval::{needs_approval, second_member, waiting_reason};

/// What a member's decision on a waiting order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalOutcome {
    /// Approved; `held` when it then went over the organisation's credit limit and waits for
    /// Lightpath's review, else provisioning started.
    Approved {
        held: bool,
    },
    Rejected,
    /// The order no longer waits (decided by someone else, cancelled) or never did.
    NotWaiting,
    /// The person deciding placed it.
    OwnOrder,
}

/// Why the order must wait for a second member, when the organisation's amount says so. Runs
/// in the order's transaction.
pub(super) async fn approval_wait(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    organisation: &Id,
    totals: Totals,
    placed_by: &str,
) -> Result<Option<String>, sqlx::Error> {
    let threshold: Option<i64> = sqlx::query_scalar("SELECT approval_threshold_cents FROM organisations WHERE id = $1")
        .bind(organisation.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let threshold = threshold.map(Money::from_cents);
    Ok(needs_approval(threshold, totals)
        .zip(threshold)
        .map(|(first_month, threshold)| waiting_reason(placed_by, first_month, threshold)))
}

/// Tells each member who may approve (not the one who placed it) on their dashboard that an
/// order waits for them. At most [`NOTIFIED`] of them, the earliest members first.
pub(super) async fn notify_approvers(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    organisation: &Id,
    placed_by: &Actor,
    order_name: &str,
    first_month: Money,
) -> Result<(), sqlx::Error> {
    let roles: Vec<String> = Role::CUSTOMER
        .into_iter()
        .filter(|role| role.approves_orders())
        .map(|role| format!("'{}'", role.slug()))
        .collect();
    let approvers: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT id FROM users WHERE organisation_id = $1 AND id <> $2
           AND COALESCE(full_role, role) IN ({}) ORDER BY created_at_ms, id LIMIT {NOTIFIED}",
        roles.join(", ")
    ))
    .bind(organisation.as_str())
    .bind(placed_by.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let message = format!(
        "{} placed the order “{order_name}” (about {first_month} in its first month): it waits for a second member's \
         approval. Open it from Orders to approve or reject it.",
        placed_by.name
    );
    let now = now_ms();
    for approver in approvers {
        sqlx::query("INSERT INTO notices (id, user_id, message, created_at_ms) VALUES ($1, $2, $3, $4)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(approver)
            .bind(&message)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// How many members one waiting order notifies at most: a large organisation's admins and
/// finance team, not a notice row per member of thousands.
const NOTIFIED: i64 = 20;

impl Store {
    /// The amount over which `organisation`'s orders wait for a second member; None: no order
    /// waits (or no such organisation).
    pub async fn approval_threshold(&self, organisation: &Id) -> Result<Option<Money>, StoreError> {
        let threshold: Option<Option<i64>> =
            sqlx::query_scalar("SELECT approval_threshold_cents FROM organisations WHERE id = $1")
                .bind(organisation.as_str())
                .fetch_optional(self.pool())
                .await?;
        Ok(threshold.flatten().map(Money::from_cents))
    }

    /// Sets (or clears) the amount, audited with before and after. Orders already waiting keep
    /// waiting: a member decides on them as placed.
    pub async fn set_approval_threshold(
        &self,
        by: &Actor,
        organisation: &Id,
        threshold: Option<Money>,
    ) -> Result<(), AccountError> {
        let mut tx = self.begin_write().await?;
        let before: Option<i64> =
            sqlx::query_scalar("SELECT approval_threshold_cents FROM organisations WHERE id = $1")
                .bind(organisation.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AccountError::NotFound)?;
        sqlx::query("UPDATE organisations SET approval_threshold_cents = $1 WHERE id = $2")
            .bind(threshold.map(Money::cents))
            .bind(organisation.as_str())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            by,
            "organisation.approval-amount",
            &format!("organisation {organisation}"),
            Some(organisation.as_str()),
            Change::updated(
                serde_json::json!({ "amount_cents": before }),
                serde_json::json!({ "amount_cents": threshold.map(Money::cents) }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who placed `order`: their account (None for orders placed before it was kept) and
    /// their name; None when there is no such order.
    pub async fn order_placer(&self, order: &Id) -> Result<Option<(Option<Id>, String)>, StoreError> {
        let row = sqlx::query("SELECT placed_by_user_id, created_by FROM orders WHERE id = $1")
            .bind(order.as_str())
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let id: Option<String> = row.try_get("placed_by_user_id")?;
        Ok(Some((id.as_deref().and_then(Id::parse), row.try_get("created_by")?)))
    }

    /// A second member's decision on an order waiting for approval. Approved, it meets the
    /// credit check in the same transaction (held, or queued for provisioning); rejected, it
    /// ends with the member's reason and frees what it held (a service's change slot, a cloud
    /// connection's VLAN). The caller has checked the member may approve this organisation's
    /// orders; this checks they did not place it, and that it still waits.
    pub async fn decide_pending_order(
        &self,
        by: &Actor,
        order: &Id,
        approve: bool,
        comment: &str,
    ) -> Result<ApprovalOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT organisation_id, placed_by_user_id, service_id, monthly_cents, hourly_cents, one_time_cents
             FROM orders WHERE id = $1 AND state = 'pending'",
        )
        .bind(order.as_str())
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(ApprovalOutcome::NotWaiting);
        };
        let organisation = Id::parse(&row.try_get::<String, _>("organisation_id")?).ok_or_else(|| corrupt("org"))?;
        let placed_by: Option<String> = row.try_get("placed_by_user_id")?;
        if let Some(placed_by) = placed_by.as_deref().and_then(Id::parse) {
            if second_member(&placed_by, &by.id).is_err() {
                return Ok(ApprovalOutcome::OwnOrder);
            }
        }
        let service: Option<String> = row.try_get("service_id")?;
        let service = service.as_deref().and_then(Id::parse);
        let totals = cents(&row, "")?;
        let (next, reason, message, outcome) = if approve {
            match credit_hold(&mut tx, &organisation, totals, service.as_ref()).await? {
                Some(hold) => (
                    OrderState::Held,
                    Some(hold),
                    format!("Approved by {}; it now waits for Lightpath's credit review.", by.name),
                    ApprovalOutcome::Approved { held: true },
                ),
                None => (
                    OrderState::InProgress,
                    None,
                    format!("Approved by {}: provisioning starts.", by.name),
                    ApprovalOutcome::Approved { held: false },
                ),
            }
        } else {
            let reason = format!("Rejected by {}: {comment}", by.name);
            (OrderState::Rejected, Some(reason.clone()), reason, ApprovalOutcome::Rejected)
        };
        let now = now_ms();
        if !decided(&mut tx, order, OrderState::Pending, next, reason.as_deref(), now).await? {
            return Ok(ApprovalOutcome::NotWaiting);
        }
        add_event(&mut tx, order, None, if approve { "info" } else { "failed" }, &message).await?;
        match (next, &reason) {
            (OrderState::Held, Some(hold)) => add_event(&mut tx, order, None, "held", hold).await?,
            (OrderState::InProgress, _) => queue(&mut tx, order, now).await?,
            _ => {
                sqlx::query("UPDATE services SET pending_order_id = NULL WHERE pending_order_id = $1")
                    .bind(order.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        crate::webhooks::publish_order_state(&mut tx, order).await?;
        crate::cloud_connections::order_moved(&mut tx, order, next).await?;
        let change = Change::updated(
            serde_json::json!({ "state": "pending" }),
            serde_json::json!({ "state": next.slug(), "comment": comment }),
        );
        let action = if approve { "order.approve" } else { "order.approval-reject" };
        audit::record(&mut tx, by, action, &format!("order {order}"), Some(organisation.as_str()), change).await?;
        tx.commit().await?;
        self.order_changed(order);
        Ok(outcome)
    }
}
