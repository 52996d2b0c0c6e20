//! `sentry-secrets check`: resolve exactly as `init()` would, print the redacted report.

use std::path::PathBuf;
use std::process::ExitCode;

use sentry_secrets::{Loader, MissingDsn, Policy};

/// Options of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Variable prefix, as given to `Loader::prefix` (`MYAPP_` reads `MYAPP_SENTRY_DSN`).
    #[arg(long, default_value = "")]
    prefix: String,
    /// Use the strict (production) policy.
    #[arg(long)]
    strict: bool,
    /// Fail when no DSN is configured.
    #[arg(long)]
    require_dsn: bool,
    /// Read this `.env` file instead of `./.env`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_dotenv")]
    dotenv: Option<PathBuf>,
    /// Do not read a `.env` file.
    #[arg(long)]
    no_dotenv: bool,
    /// Also look for secrets in this directory (for example /run/secrets).
    #[arg(long, value_name = "DIR")]
    secrets_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let mut policy = if args.strict {
        Policy::strict()
    } else {
        Policy::default()
    };
    if args.require_dsn {
        policy.missing_dsn = MissingDsn::Required;
    }
    let mut loader = Loader::new().prefix(args.prefix).policy(policy);
    if let Some(p) = args.dotenv {
        loader = loader.dotenv_path(p);
    }
    if args.no_dotenv {
        loader = loader.no_dotenv();
    }
    if let Some(d) = args.secrets_dir {
        loader = loader.secrets_dir(d);
    }
    match loader.resolve() {
        Ok(config) => {
            let report = config.report();
            if args.json {
                println!("{}", report.to_json());
            } else {
                print!("{report}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut chain = Vec::new();
            let mut source = std::error::Error::source(&e);
            let top = e.to_string();
            while let Some(s) = source {
                let text = s.to_string();
                if !top.contains(&text) {
                    chain.push(text);
                }
                source = s.source();
            }
            if args.json {
                let out = serde_json::json!({ "ok": false, "error": top, "causes": chain });
                println!("{out:#}");
            } else {
                eprintln!("error: {top}");
                for c in chain {
                    eprintln!("  caused by: {c}");
                }
            }
            ExitCode::from(1)
        }
    }
}
