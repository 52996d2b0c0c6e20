//! `sentry-secrets scan` (placeholder).

use std::process::ExitCode;

/// Options of `scan`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
