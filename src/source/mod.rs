//! Where plain values come from.

pub(crate) mod file;
