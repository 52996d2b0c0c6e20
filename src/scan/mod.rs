//! Placeholder: the scanner lands from the `scan` branch.
