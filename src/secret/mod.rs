//! The secret types: [`SecretDsn`], [`AuthToken`] and their fingerprints.

mod dsn;
mod redact;
mod token;
mod wipe;

pub use dsn::{DsnError, SecretDsn};
pub use redact::fingerprint;
pub use token::{AuthToken, OrgTokenInfo, TokenError, TokenKind};
pub(crate) use wipe::{into_secret, secret_from_str};
