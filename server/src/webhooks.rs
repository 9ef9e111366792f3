//! The webhook senders: each leases a due delivery from the outbox (see
//! `lightpath_store::webhooks`), checks where its callback resolves, POSTs it signed, and
//! records the answer. A 2xx is delivered; anything else is tried again with exponential
//! backoff, then marked failed. A sender that dies mid-delivery leaves its lease to run out,
//! and another sender (here or on another server) sends the delivery again: receivers drop
//! the repeat by its `eventId`.
//!
//! Signature: `Lightpath-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
//! keyed with the subscription's secret (README.md shows how to check it).

use hmac::{Hmac, Mac};
use lightpath_domain::retry::backoff_ms;
use lightpath_domain::webhooks::is_public_address;
use lightpath_store::webhooks::Claimed;
use lightpath_store::Store;
use sha2::Sha256;
use std::net::SocketAddr;
use std::time::Duration;

/// How webhooks are sent (see `Config`).
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Allow `http://` callbacks and private, loopback and link-local addresses (tests, demos).
    pub allow_private: bool,
    /// The wait before the first retry; each retry waits twice as long.
    pub retry_base_ms: u64,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
}

/// Senders per server. Each waits on one receiver at a time, so several let the slow receivers
/// of one customer hold only some of them while the others serve everyone else (the outbox
/// hands them out fairly: see `Store::claim_delivery`).
pub const SENDERS: usize = 8;

/// A sender holds a delivery this long; the request itself times out well before.
const LEASE_MS: i64 = 60_000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle sender looks for due deliveries (a read, see `Store::claim_delivery`).
const IDLE_POLL: Duration = Duration::from_millis(500);

pub fn spawn_senders(store: Store, settings: WebhookSettings, count: usize) {
    for _ in 0..count {
        let owner = format!("webhooks-{}", uuid::Uuid::new_v4());
        tokio::spawn(run(store.clone(), settings.clone(), owner));
    }
}

async fn run(store: Store, settings: WebhookSettings, owner: String) {
    loop {
        match store.claim_delivery(&owner, LEASE_MS).await {
            Ok(Some(claimed)) => deliver(&store, &settings, &owner, claimed).await,
            Ok(None) => tokio::time::sleep(IDLE_POLL).await,
            // The server is shutting down: nothing more to send.
            Err(_) if store.is_closed() => return,
            Err(error) => {
                tracing::warn!(%error, "cannot read the webhook outbox");
                tokio::time::sleep(IDLE_POLL * 4).await;
            }
        }
    }
}

async fn deliver(store: &Store, settings: &WebhookSettings, owner: &str, claimed: Claimed) {
    let attempt = claimed.attempts + 1;
    let (delivered, status, error) = match send(&claimed, settings).await {
        Ok(status) if (200..300).contains(&status) => (true, Some(status), None),
        Ok(status) => (false, Some(status), Some(format!("The receiver answered HTTP {status}."))),
        Err(error) => (false, None, Some(error)),
    };
    let retry_at = (!delivered && attempt < settings.max_attempts).then(|| {
        let wait = i64::try_from(backoff_ms(settings.retry_base_ms, attempt)).unwrap_or(i64::MAX);
        now_ms().saturating_add(wait)
    });
    if !delivered {
        tracing::info!(delivery = %claimed.id, attempt, error = error.as_deref().unwrap_or(""), "webhook not delivered");
    }
    if let Err(error) =
        store.delivery_attempted(&claimed.id, owner, delivered, status, error.as_deref(), retry_at).await
    {
        tracing::warn!(%error, delivery = %claimed.id, "cannot record a webhook attempt; it will be sent again");
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_millis() as i64)
}

/// The `Lightpath-Signature` value for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: u64, body: &str) -> String {
    format!("t={timestamp},v1={}", hmac_hex(secret, &format!("{timestamp}.{body}")))
}

/// Why no client could be made for a URL.
pub enum PinError {
    NoHost,
    Unresolved(std::io::Error),
    OnlyPrivate,
    Client(reqwest::Error),
}

/// A client for `url` bound to the address its host resolves to now (private, loopback and
/// link-local addresses refused unless `allow_private`): a name that resolved publicly once may
/// not point inside later. No redirects, no proxy from the environment (it would resolve the
/// name again). Webhook deliveries and single sign-on's calls to identity providers use it.
pub async fn pinned_client(
    url: &url::Url,
    allow_private: bool,
    timeout: Duration,
) -> Result<reqwest::Client, PinError> {
    let host = url.host_str().ok_or(PinError::NoHost)?.trim_matches(['[', ']']).to_owned();
    let port = url.port_or_known_default().ok_or(PinError::NoHost)?;
    let addresses: Vec<SocketAddr> =
        tokio::net::lookup_host((host.as_str(), port)).await.map_err(PinError::Unresolved)?.collect();
    let address = addresses
        .into_iter()
        .find(|address| allow_private || is_public_address(address.ip()))
        .ok_or(PinError::OnlyPrivate)?;
    reqwest::Client::builder()
        .resolve(&host, address)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .build()
        .map_err(PinError::Client)
}

/// HMAC-SHA256 of `message` keyed with `secret`, in lowercase hex.
fn hmac_hex(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// POSTs the delivery to the address its host resolves to now, refusing private addresses
/// unless allowed (a name that resolved publicly when subscribed may not point inside later).
async fn send(claimed: &Claimed, settings: &WebhookSettings) -> Result<u16, String> {
    let url = url::Url::parse(&claimed.url).map_err(|_| "The callback URL is not valid.".to_owned())?;
    let client = pinned_client(&url, settings.allow_private, REQUEST_TIMEOUT).await.map_err(|why| match why {
        PinError::NoHost => "The callback URL has no host.".to_owned(),
        PinError::Unresolved(error) => format!("The callback's host does not resolve ({error})."),
        PinError::OnlyPrivate => {
            "The callback's host resolves only to private addresses, which Lightpath does not call.".to_owned()
        }
        PinError::Client(error) => format!("Cannot prepare the request ({error})."),
    })?;
    let timestamp = u64::try_from(now_ms() / 1000).unwrap_or(0);
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "Lightpath-Webhooks/1")
        .header("lightpath-event-id", &claimed.event_id)
        .header("lightpath-event-type", &claimed.event_type)
        .header("lightpath-signature", signature(&claimed.secret, timestamp, &claimed.body))
        .body(claimed.body.clone())
        .send()
        .await
        .map_err(|error| format!("The receiver could not be reached ({}).", error.without_url()))?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sender_stops_once_the_store_is_closed() {
        let store = crate::provisioning::tests::closed_store().await;
        let settings = WebhookSettings { allow_private: false, retry_base_ms: 1_000, max_attempts: 3 };
        tokio::time::timeout(Duration::from_secs(10), run(store, settings, "test".to_owned()))
            .await
            .expect("the sender returns instead of polling a closed pool");
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_the_timestamp_and_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let signed = signature("Jefe", 1_796_237_294, "{}");
        assert_eq!(signed, format!("t=1796237294,v1={}", hmac_hex("Jefe", "1796237294.{}")));
        assert_ne!(signature("other", 1_796_237_294, "{}"), signed);
    }
}
