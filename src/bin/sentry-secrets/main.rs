//! `sentry-secrets`: check how Sentry secrets resolve, and scan source trees for hardcoded ones.
//!
//! Exit status: 0 when all is well, 1 when the configuration is unusable or findings reach
//! the threshold, 2 on usage or I/O errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
#[cfg(feature = "scan")]
mod scan;

#[derive(Debug, Parser)]
#[command(name = "sentry-secrets", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Resolve the Sentry configuration exactly as `init()` would, without starting Sentry,
    /// and print a redacted report.
    Check(check::Args),
    /// Scan files and directories for hardcoded Sentry DSNs and auth tokens.
    #[cfg(feature = "scan")]
    Scan(scan::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        #[cfg(feature = "scan")]
        Command::Scan(args) => scan::run(args),
    }
}
