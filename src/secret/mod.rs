//! The secret types.

mod wipe;

pub(crate) use wipe::{into_secret, secret_from_str};
