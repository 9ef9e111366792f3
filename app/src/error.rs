//! The error type of the UI layer: what a person may see. Every variant's message says what
//! went wrong and what to do; internal details (SQL, paths) are logged on the server and never
//! put in here.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input cannot be used; the message names the field and the fix.
    #[error("{0}")]
    Invalid(String),
    /// The server or its database is not answering right now.
    #[error("Lightpath is having trouble reaching its database. Please try again in a minute.")]
    Unavailable,
    /// The request did not reach the server or its answer did not come back.
    #[error("The connection to Lightpath failed ({0}). Check your network and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<lightpath_store::StoreError> for AppError {
    fn from(error: lightpath_store::StoreError) -> Self {
        tracing::error!(%error, "store error in a server function");
        crate::set_http_status(503);
        AppError::Unavailable
    }
}

impl AppError {
    /// The HTTP status a page showing this error should carry.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::Unavailable => 503,
            AppError::Transport(_) => 502,
        }
    }
}
