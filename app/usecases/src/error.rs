//! The error type of the application layer: what a person may see. Every variant's message
//! says what went wrong and what to do, and maps to one HTTP status; internal details (SQL,
//! paths) are logged on the server and never put in here. Server functions carry it to the
//! browser as it is; the REST API turns it into an RFC 9457 problem.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input cannot be used; the message names the field and the fix.
    #[error("{0}")]
    Invalid(String),
    /// The request was right when it was made but the world changed meanwhile (a price, the
    /// free capacity): the message says what changed and what to do.
    #[error("{0}")]
    Conflict(String),
    /// The price moved since the buyer saw it: the message says from what to what, and
    /// `totals` is the price now, so a caller can show it or order at it.
    #[error("{message}")]
    PriceChanged { message: String, totals: lightpath_domain::pricing::Totals },
    /// Several form fields are wrong: (field name, what to do) for each, shown beside the field.
    #[error("Some fields need attention: {}", .0.iter().map(|(_, message)| message.as_str()).collect::<Vec<_>>().join(" "))]
    Fields(Vec<(String, String)>),
    /// The request itself cannot be read (a field missing or of the wrong type): answered 400.
    #[error("{0}")]
    Malformed(String),
    /// Nobody is signed in.
    #[error("Please sign in to see this page.")]
    SignInRequired,
    /// Signed in, but the role may not do this; the message says who may.
    #[error("{0}")]
    Forbidden(String),
    /// No such record — or one that belongs to another organisation, which is answered the same.
    #[error("We couldn’t find that. It may have been removed, or the link may be wrong.")]
    NotFound,
    /// Too many attempts from this address or on this account.
    #[error("Too many attempts. Please wait {retry_after_secs} seconds and try again.")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The server or its database is not answering right now.
    #[error("Lightpath is having trouble reaching its database. Please try again in a minute.")]
    Unavailable,
    /// The request did not reach the server or its answer did not come back.
    #[error("The connection to Lightpath failed ({0}). Check your network and try again.")]
    Transport(String),
}

/// JSON decoded from text, for server functions' answers and errors. server_fn's own
/// `JsonEncoding` decodes bytes (`serde_json::from_slice`), while a hydrated resource decodes
/// the same records from the page's text (`from_str`): each record's decoder was compiled into
/// the browser's bundle twice, once per reader. Decoding answers as text keeps one.
#[cfg(feature = "server-fn")]
pub struct TextJson;

#[cfg(feature = "server-fn")]
impl server_fn::ContentType for TextJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

#[cfg(feature = "server-fn")]
impl server_fn::FormatType for TextJson {
    const FORMAT_TYPE: server_fn::Format = server_fn::Format::Text;
}

#[cfg(feature = "server-fn")]
impl<T: Serialize> server_fn::Encodes<T> for TextJson {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<server_fn::Bytes, Self::Error> {
        serde_json::to_vec(output).map(server_fn::Bytes::from)
    }
}

#[cfg(feature = "server-fn")]
impl<T: serde::de::DeserializeOwned> server_fn::Decodes<T> for TextJson {
    type Error = serde_json::Error;

    fn decode(bytes: server_fn::Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}

/// The output encoding of every server function: `#[server(output = JsonAnswer)]`.
#[cfg(feature = "server-fn")]
pub type JsonAnswer = server_fn::codec::Post<TextJson>;

#[cfg(feature = "server-fn")]
impl server_fn::error::FromServerFnError for AppError {
    type Encoder = TextJson;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr;
        match value {
            // On the server these mean the request itself is malformed (a page number that is
            // not a number, a missing field): the caller's mistake, answered 400, never a 5xx.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_)
                if cfg!(feature = "server") =>
            {
                AppError::Malformed(format!("This request is malformed ({value}). Reload the page and try again."))
            }
            _ => AppError::Transport(value.to_string()),
        }
    }
}

#[cfg(feature = "server")]
impl From<lightpath_store::StoreError> for AppError {
    fn from(error: lightpath_store::StoreError) -> Self {
        tracing::error!(%error, "store error in a use case");
        AppError::Unavailable
    }
}

impl AppError {
    /// The HTTP status a page showing this error should carry.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Malformed(_) => 400,
            AppError::Invalid(_) | AppError::Fields(_) => 422,
            AppError::Conflict(_) | AppError::PriceChanged { .. } => 409,
            AppError::SignInRequired => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound => 404,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Unavailable => 503,
            AppError::Transport(_) => 502,
        }
    }

    /// One field's problem, as a form shows it.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Fields(vec![(field.to_owned(), message.into())])
    }

    /// The message for `field`, when this error names it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Fields(fields) => {
                fields.iter().find(|(name, _)| name == field).map(|(_, message)| message.clone())
            }
            _ => None,
        }
    }
}

impl From<lightpath_domain::account::FieldError> for AppError {
    fn from(error: lightpath_domain::account::FieldError) -> Self {
        AppError::field(error.field, error.message)
    }
}

impl From<lightpath_domain::policy::Denial> for AppError {
    fn from(denial: lightpath_domain::policy::Denial) -> Self {
        use lightpath_domain::policy::Denial;
        match denial {
            Denial::SignInRequired => AppError::SignInRequired,
            Denial::Forbidden(why) => AppError::Forbidden(why.to_owned()),
            Denial::NotFound => AppError::NotFound,
        }
    }
}

#[cfg(feature = "server")]
impl From<lightpath_store::orders::OrderError> for AppError {
    fn from(error: lightpath_store::orders::OrderError) -> Self {
        use lightpath_store::orders::OrderError;
        match error {
            OrderError::KeyReused => AppError::Invalid(
                "This order key was already used for a different order. Reload the page and try again.".into(),
            ),
            OrderError::ServiceBusy => AppError::Conflict(
                "This service changed meanwhile: it is no longer active, or another change to it ran or is running. Reload the page.".into(),
            ),
            OrderError::QuoteChanged => AppError::Conflict(
                "This quote is no longer open for acceptance (it was revised, cancelled or accepted, or it expired). \
                 Reload the page."
                    .into(),
            ),
            OrderError::QuotedItemTaken => AppError::Conflict(
                "Another order took this line of the quote a moment ago: reload the quote to see it.".into(),
            ),
            OrderError::VlanTaken { interface, vlan } => AppError::Conflict(format!(
                "VLAN {vlan} is already in use on {interface}: choose another VLAN, or 0 to let Lightpath pick a free one."
            )),
            OrderError::VlanExhausted(interface) => AppError::Conflict(format!(
                "Every VLAN on {interface} is in use: choose another on-ramp, or the circuit's other port."
            )),
            OrderError::VlanRace => AppError::Unavailable,
            OrderError::CloudKeyUsed => AppError::Conflict(
                "This key is already used by another cloud connection: a key connects once. \
                 Create a new circuit or attachment in your cloud console and order with its key."
                    .into(),
            ),
            OrderError::Store(error) => error.into(),
        }
    }
}

#[cfg(feature = "server")]
impl From<lightpath_store::AccountError> for AppError {
    fn from(error: lightpath_store::AccountError) -> Self {
        use lightpath_store::AccountError;
        match error {
            AccountError::EmailTaken => AppError::field(
                "email",
                "An account with this email already exists. Sign in instead, or use another email.",
            ),
            AccountError::InvalidCredentials => {
                AppError::Invalid("That email and password do not match an account. Check both and try again.".into())
            }
            AccountError::TooManyAttempts { retry_after_secs } => AppError::TooManyAttempts { retry_after_secs },
            AccountError::WrongCurrentPassword => {
                AppError::field("current", "That is not your current password. Type it again.")
            }
            AccountError::WrongCode => AppError::field(
                "code",
                "That code is not right. Type the code your app shows now (each code works once), or a recovery code.",
            ),
            AccountError::ChallengeExpired => {
                AppError::Invalid("Your sign-in waited more than five minutes for its code. Sign in again.".into())
            }
            AccountError::NotFound => AppError::NotFound,
            AccountError::Refused(why) => AppError::Invalid(why.to_owned()),
            AccountError::Store(error) => error.into(),
        }
    }
}

#[cfg(feature = "server")]
impl From<lightpath_store::CatalogEditError> for AppError {
    fn from(error: lightpath_store::CatalogEditError) -> Self {
        use lightpath_store::CatalogEditError;
        match error {
            CatalogEditError::NotFound => AppError::NotFound,
            CatalogEditError::NotDraft(_) | CatalogEditError::Problems(_) => AppError::Invalid(error.to_string()),
            CatalogEditError::Field { field, message } => AppError::field(field, message),
            CatalogEditError::Store(error) => error.into(),
        }
    }
}
