//! Webhook use cases. An organisation's admin manages its subscriptions; a callback must be
//! `https` to a public address unless the server allows private ones (tests and demos).

use crate::error::AppError;
use crate::model::webhooks::{WebhookMade, WebhookPolicy, WebhooksView};
use crate::Caller;
use lightpath_domain::account::{Actor, Id, OrganisationRef};
use lightpath_domain::policy::Permission;
use lightpath_domain::webhooks::{is_public_address, EventType};
use lightpath_store::webhooks::{NewSubscription, WebhookError};

const MAX_URL_CHARS: usize = 2_000;

/// The caller, who must be the admin of their own organisation.
fn owner(caller: &Caller) -> Result<(Actor, OrganisationRef), AppError> {
    let actor = caller.require(Permission::SignedIn)?;
    let Some(organisation) = actor.organisation.clone() else {
        return Err(AppError::Forbidden("Webhooks belong to a customer organisation; its admin sets them up.".into()));
    };
    caller.require(Permission::ManageMembers(&organisation.id)).map_err(|error| match error {
        AppError::Forbidden(_) => AppError::Forbidden("Only your organisation's admin can manage its webhooks.".into()),
        other => other,
    })?;
    Ok((actor, organisation))
}

pub async fn list(caller: &Caller) -> Result<WebhooksView, AppError> {
    let (actor, organisation) = owner(caller)?;
    let subscriptions = caller.store.webhooks(&organisation.id).await?;
    Ok(WebhooksView { organisation: organisation.name, subscriptions, confirm_needed: actor.factor_stale })
}

/// Checks a callback URL: `https` (or `http` when private callbacks are allowed), a host, no
/// credentials, and no private address given literally. A name is checked again against what
/// it resolves to at each delivery.
pub fn parse_callback(raw: &str, policy: WebhookPolicy) -> Result<url::Url, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter the URL Lightpath should call, e.g. https://hooks.example.com/lightpath.".into());
    }
    if raw.chars().count() > MAX_URL_CHARS || raw.chars().any(char::is_control) {
        return Err("Enter a URL of at most 2,000 characters, without control characters.".into());
    }
    let url = url::Url::parse(raw).map_err(|_| "Enter a full URL, starting with https://.".to_owned())?;
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_private => {}
        _ => return Err("The URL must start with https:// so events travel encrypted.".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Leave credentials out of the URL: each delivery is signed instead.".into());
    }
    let private = match url.host() {
        None => return Err("The URL needs a host name.".into()),
        Some(url::Host::Ipv4(ip)) => !is_public_address(ip.into()),
        Some(url::Host::Ipv6(ip)) => !is_public_address(ip.into()),
        Some(url::Host::Domain(name)) => {
            let name = name.to_ascii_lowercase();
            name == "localhost"
                || name.ends_with(".localhost")
                || name.ends_with(".internal")
                || name.ends_with(".local")
        }
    };
    if private && !policy.allow_private {
        return Err("The URL points to a private or local address, which Lightpath does not call.".into());
    }
    Ok(url)
}

pub async fn create(
    caller: &Caller,
    policy: WebhookPolicy,
    url: &str,
    events: &[String],
) -> Result<WebhookMade, AppError> {
    let (actor, organisation) = owner(caller)?;
    lightpath_domain::policy::fresh_factor(&actor)?;
    let mut problems = Vec::new();
    let url = parse_callback(url, policy).map_err(|message| problems.push(("url".to_owned(), message))).ok();
    let mut chosen: Vec<EventType> = Vec::new();
    for slug in events {
        match EventType::parse(slug.trim()).filter(|kind| EventType::SUBSCRIBABLE.contains(kind)) {
            Some(kind) if !chosen.contains(&kind) => chosen.push(kind),
            Some(_) => {}
            None => {
                problems.push(("events".to_owned(), "Choose among the listed events.".to_owned()));
                break;
            }
        }
    }
    if chosen.is_empty() && !problems.iter().any(|(field, _)| field == "events") {
        problems.push(("events".to_owned(), "Choose at least one event to be told about.".to_owned()));
    }
    let Some(url) = url.filter(|_| problems.is_empty()) else {
        return Err(AppError::Fields(problems));
    };
    let new = NewSubscription { organisation: organisation.id, url: url.to_string(), events: chosen };
    match caller.store.create_webhook(&actor, new).await {
        Ok((subscription, secret)) => Ok(WebhookMade { subscription, secret }),
        Err(WebhookError::Refused(message)) => Err(AppError::Invalid(message)),
        Err(WebhookError::Store(error)) => Err(error.into()),
    }
}

pub async fn remove(caller: &Caller, id: &str) -> Result<(), AppError> {
    let (actor, organisation) = owner(caller)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    if caller.store.remove_webhook(&actor, &organisation.id, &id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn ping(caller: &Caller, id: &str) -> Result<(), AppError> {
    let (_, organisation) = owner(caller)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    match caller.store.ping_webhook(&organisation.id, &id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(AppError::NotFound),
        Err(WebhookError::Refused(message)) => Err(AppError::Conflict(message)),
        Err(WebhookError::Store(error)) => Err(error.into()),
    }
}

/// Resumes a webhook its backlog paused: new events are queued for it again.
pub async fn resume(caller: &Caller, id: &str) -> Result<(), AppError> {
    let (actor, organisation) = owner(caller)?;
    let id = Id::parse(id).ok_or(AppError::NotFound)?;
    if caller.store.resume_webhook(&actor, &organisation.id, &id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: WebhookPolicy = WebhookPolicy { allow_private: false };
    const DEMO: WebhookPolicy = WebhookPolicy { allow_private: true };

    #[test]
    fn callbacks_are_https_to_public_hosts_unless_allowed() {
        assert!(parse_callback("https://hooks.example.com/lightpath", STRICT).is_ok());
        assert!(parse_callback("https://93.184.216.34/x", STRICT).is_ok());
        for bad in [
            "http://hooks.example.com/x",
            "https://127.0.0.1/x",
            "https://10.0.0.8/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://localhost/x",
            "https://user:pass@hooks.example.com/x",
            "ftp://hooks.example.com/x",
            "hooks.example.com",
            "https://hooks.example.com/\u{7}",
            "",
        ] {
            assert!(parse_callback(bad, STRICT).is_err(), "{bad:?}");
        }
        assert!(parse_callback("http://127.0.0.1:9000/hook", DEMO).is_ok());
        assert!(parse_callback("ftp://127.0.0.1/hook", DEMO).is_err());
    }
}
