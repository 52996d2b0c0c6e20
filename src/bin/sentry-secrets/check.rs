//! `sentry-secrets check` (placeholder until the core loader lands).

use std::process::ExitCode;

/// Options of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(1)
}
