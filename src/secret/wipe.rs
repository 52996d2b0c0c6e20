//! Moving plain buffers into secret boxes without leaving unwiped copies behind.

use secrecy::SecretString;
use zeroize::Zeroize;

/// Moves `plain` into a [`SecretString`], wiping the original buffer.
///
/// `String::into_boxed_str` may reallocate (when capacity exceeds length) and free the old
/// block without wiping it, so this copies into an exactly sized box and zeroizes `plain`.
pub(crate) fn into_secret(mut plain: String) -> SecretString {
    let boxed: Box<str> = Box::from(plain.as_str());
    plain.zeroize();
    SecretString::from(boxed)
}

/// Copies `plain` into a [`SecretString`]; the caller still owns (and must wipe) `plain`.
pub(crate) fn secret_from_str(plain: &str) -> SecretString {
    SecretString::from(Box::<str>::from(plain))
}
