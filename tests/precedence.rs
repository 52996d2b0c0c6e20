//! Precedence, provenance and policy through the public API.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use sentry_secrets::{DotEnv, Error, Loader, MissingDsn, Origin, Policy, StoreFailure};

#[path = "support/jail.rs"]
mod jail;

fn dsn(project: u32) -> String {
    format!("https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/{project}")
}

fn file(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

fn project(loader: &Loader) -> String {
    loader
        .resolve()
        .unwrap()
        .dsn()
        .unwrap()
        .project_id()
        .to_owned()
}

fn dotenv_always() -> Policy {
    Policy {
        dotenv: DotEnv::Always,
        ..Policy::default()
    }
}

#[test]
fn each_source_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let creds = d.join("creds");
    let secrets = d.join("secrets");
    std::fs::create_dir_all(&creds).unwrap();
    std::fs::create_dir_all(&secrets).unwrap();
    file(&creds, "SENTRY_DSN", &dsn(4));
    file(&secrets, "sentry_dsn", &dsn(5));
    let env_file = file(d, ".env", &format!("SENTRY_DSN={}\n", dsn(6)));
    let var_file = file(d, "dsn", &dsn(3));

    let base = || {
        Loader::new()
            .isolated()
            .policy(dotenv_always())
            .dotenv_path(&env_file)
            .secrets_dir(&secrets)
            .credentials_dir(&creds)
    };
    assert_eq!(
        project(
            &base()
                .var("SENTRY_DSN", dsn(2))
                .dsn(SecretString::from(dsn(1)))
        ),
        "1"
    );
    assert_eq!(project(&base().var("SENTRY_DSN", dsn(2))), "2");
    assert_eq!(
        project(&base().var("SENTRY_DSN_FILE", var_file.to_string_lossy())),
        "3"
    );
    assert_eq!(project(&base()), "4");
    std::fs::remove_file(creds.join("SENTRY_DSN")).unwrap();
    assert_eq!(project(&base()), "5");
    std::fs::remove_file(secrets.join("sentry_dsn")).unwrap();
    assert_eq!(project(&base()), "6");

    let config = base().resolve().unwrap();
    assert_eq!(
        config.origin("dsn"),
        Some(&Origin::DotEnv {
            path: env_file.clone(),
            key: "SENTRY_DSN".into()
        })
    );
}

#[test]
fn origins_are_recorded_for_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let var_file = file(
        dir.path(),
        "token",
        &format!("sntryu_{}\n", "ab".repeat(32)),
    );
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN", dsn(1))
        .var("SENTRY_AUTH_TOKEN_FILE", var_file.to_string_lossy())
        .release("r1")
        .resolve()
        .unwrap();
    assert_eq!(
        config.origin("dsn"),
        Some(&Origin::Env {
            var: "SENTRY_DSN".into()
        })
    );
    assert_eq!(
        config.origin("auth_token"),
        Some(&Origin::VarFile {
            var: "SENTRY_AUTH_TOKEN_FILE".into(),
            path: var_file
        })
    );
    assert_eq!(config.origin("release"), Some(&Origin::Code));
    assert_eq!(config.origin("environment"), None);
    let text = config.report().to_string();
    assert!(text.contains("[env SENTRY_DSN]") && text.contains("via SENTRY_AUTH_TOKEN_FILE"));
}

#[test]
fn dotenv_never_overrides_and_never_sets_the_environment() {
    let mut jail = jail::Jail::new();
    let dir = tempfile::tempdir().unwrap();
    let env_file = file(
        dir.path(),
        ".env",
        &format!("SENTRY_DSN={}\nSENTRY_RELEASE=from-dotenv\n", dsn(9)),
    );
    jail.set("SENTRY_DSN", dsn(1));
    let config = Loader::new()
        .policy(dotenv_always())
        .dotenv_path(&env_file)
        .resolve()
        .unwrap();
    assert_eq!(config.dsn().unwrap().project_id(), "1");
    assert_eq!(config.release(), Some("from-dotenv"));
    assert!(
        std::env::var_os("SENTRY_RELEASE").is_none(),
        ".env leaked into the environment"
    );
}

#[test]
fn dotenv_is_skipped_in_production_and_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = file(dir.path(), ".env", &format!("SENTRY_DSN={}\n", dsn(9)));
    let dev = Loader::new().isolated().dotenv_path(&env_file);
    assert_eq!(project(&dev), "9");
    let prod = Loader::new()
        .isolated()
        .dotenv_path(&env_file)
        .var("SENTRY_ENVIRONMENT", "production");
    assert!(prod.resolve().unwrap().dsn().is_none());
    let strict = Loader::new()
        .isolated()
        .dotenv_path(&env_file)
        .policy(Policy {
            missing_dsn: MissingDsn::Disable,
            ..Policy::strict()
        });
    assert!(strict.resolve().unwrap().dsn().is_none());
}

#[test]
fn missing_dsn_disables_by_default_and_fails_when_required() {
    let config = Loader::new().isolated().resolve().unwrap();
    assert!(!config.is_enabled());
    assert!(
        config
            .warnings()
            .iter()
            .any(|w| w.contains("SENTRY_DSN is not set"))
    );
    let guard = config.init().unwrap();
    assert!(!guard.is_enabled());
    let err = Loader::new()
        .isolated()
        .policy(Policy {
            missing_dsn: MissingDsn::Required,
            ..Policy::default()
        })
        .resolve()
        .unwrap_err();
    assert!(matches!(err, Error::MissingDsn { ref key } if key == "SENTRY_DSN"));
}

#[test]
fn strict_refuses_a_literal_token_but_takes_one_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let token = format!("sntryu_{}", "ab".repeat(32));
    let err = Loader::new()
        .isolated()
        .policy(Policy::strict())
        .var("SENTRY_DSN", dsn(1))
        .var("SENTRY_AUTH_TOKEN", &token)
        .resolve()
        .unwrap_err();
    assert!(matches!(err, Error::Policy { ref key, .. } if key == "SENTRY_AUTH_TOKEN"));
    let path = file(dir.path(), "token", &token);
    let config = Loader::new()
        .isolated()
        .policy(Policy::strict())
        .var("SENTRY_DSN", dsn(1))
        .var("SENTRY_AUTH_TOKEN_FILE", path.to_string_lossy())
        .resolve()
        .unwrap();
    assert!(config.auth_token().is_some());
}

#[test]
fn legacy_secret_key_is_accepted_but_flagged() {
    let config = Loader::new()
        .isolated()
        .var(
            "SENTRY_DSN",
            "https://0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210@h/7",
        )
        .resolve()
        .unwrap();
    assert!(config.dsn().unwrap().has_legacy_secret_key());
    assert!(
        config
            .warnings()
            .iter()
            .any(|w| w.contains("legacy secret key"))
    );
}

#[test]
fn file_references_and_store_failure_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "dsn", &dsn(8));
    let reference = format!("file://{}", path.display());
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN", &reference)
        .resolve()
        .unwrap();
    assert_eq!(config.dsn().unwrap().project_id(), "8");
    assert!(matches!(
        config.origin("dsn"),
        Some(Origin::Store { scheme, reference: r, .. }) if scheme == "file" && *r == reference
    ));

    let missing = format!("file://{}/nope", dir.path().display());
    let err = Loader::new()
        .isolated()
        .var("SENTRY_DSN", &missing)
        .resolve()
        .unwrap_err();
    assert!(matches!(err, Error::Provider { .. }), "{err:?}");
    let lenient = Loader::new()
        .isolated()
        .policy(Policy {
            store_failure: StoreFailure::Disable,
            ..Policy::default()
        })
        .var("SENTRY_DSN", &missing)
        .resolve()
        .unwrap();
    assert!(!lenient.is_enabled());
    assert!(
        lenient
            .warnings()
            .iter()
            .any(|w| w.contains("Sentry is disabled"))
    );
}

#[test]
fn options_from_the_environment() {
    let config = Loader::new()
        .isolated()
        .var("SENTRY_DSN", dsn(1))
        .var("SENTRY_ENVIRONMENT", "staging")
        .var("SENTRY_SAMPLE_RATE", "0.5")
        .var("SENTRY_TRACES_SAMPLE_RATE", "0.1")
        .var("SENTRY_DEBUG", "yes")
        .var("SENTRY_ATTACH_STACKTRACE", "1")
        .var("SENTRY_SEND_DEFAULT_PII", "off")
        .var("SENTRY_MAX_BREADCRUMBS", "20")
        .var("SENTRY_SHUTDOWN_TIMEOUT", "0.5")
        .var("SENTRY_ORG", "acme")
        .var("SENTRY_PROJECT", "api")
        .var("SENTRY_URL", "https://sentry.example.com/")
        .resolve()
        .unwrap();
    assert_eq!(config.environment(), Some("staging"));
    assert_eq!(config.sample_rate(), 0.5);
    assert_eq!(config.traces_sample_rate(), 0.1);
    assert!(config.debug() && config.attach_stacktrace() && !config.send_default_pii());
    assert_eq!(config.max_breadcrumbs(), 20);
    assert_eq!(
        config.shutdown_timeout(),
        std::time::Duration::from_millis(500)
    );
    assert_eq!(
        (config.org(), config.project()),
        (Some("acme"), Some("api"))
    );
    let options = config.client_options().unwrap().unwrap();
    assert_eq!(options.environment.as_deref(), Some("staging"));
    assert_eq!(options.max_breadcrumbs, 20);
    assert!(options.debug);
}
