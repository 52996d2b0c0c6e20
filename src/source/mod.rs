//! Where plain values come from: the environment (with `VAR_FILE`), secret files,
//! credential directories and development `.env` files.

pub(crate) mod credentials;
pub(crate) mod dotenv;
pub(crate) mod env;
pub(crate) mod file;
