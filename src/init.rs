//! The hand-off to sentry: `ClientOptions` built explicitly, the client bound, a guard returned.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sentry::integrations::{backtrace, contexts, debug_images, panic};
use sentry::protocol::Event;
use sentry::{
    Client, ClientOptions, EventSamplingStrategy, Hub, Integration, TracesSamplingStrategy,
};

use crate::audit;
use crate::config::SentryConfig;
use crate::error::Error;

/// Resolves the configuration from the environment with the default [`Policy`](crate::Policy)
/// and starts Sentry. The one line at the top of `main`:
///
/// ```no_run
/// fn main() -> Result<(), sentry_secrets::Error> {
///     let _guard = sentry_secrets::init()?; // keep the guard alive until main returns
///     // ...
///     Ok(())
/// }
/// ```
///
/// With no DSN configured, Sentry stays disabled (with one audit warning) and `init` returns
/// a disabled guard; an invalid DSN is an error. See [`Loader`](crate::Loader) for prefixes,
/// policies and providers.
pub fn init() -> Result<Guard, Error> {
    crate::Loader::new().init()
}

impl SentryConfig {
    /// Starts Sentry with this configuration and binds the client to the current hub.
    ///
    /// This does what `sentry::init` does (default transport, default integrations, session
    /// tracking) except two things: it never reads `SENTRY_DSN` or any other variable behind
    /// the loader's back, and it never logs the DSN (sentry's `init` prints the full DSN,
    /// key included, when `debug` is on). With no DSN, no client is bound at all.
    pub fn init(self) -> Result<Guard, Error> {
        self.init_with(|_| {})
    }

    /// Like [`init`](Self::init), letting you adjust the `ClientOptions` first (add
    /// integrations, ...). Do not set the DSN there. When `SENTRY_DIST` is set, the options
    /// come with a `before_send` that stamps it; replacing `before_send` drops that.
    pub fn init_with(self, customize: impl FnOnce(&mut ClientOptions)) -> Result<Guard, Error> {
        let Some(mut options) = self.client_options()? else {
            audit::initialized(false, None);
            return Ok(Guard { client: None });
        };
        customize(&mut options);
        let options = with_defaults(options);
        let debug = options.debug;
        let session = options.auto_session_tracking
            && options.session_mode == sentry::SessionMode::Application;
        let client = Arc::new(Client::from(options));
        Hub::current().bind_client(Some(client.clone()));
        let fingerprint = self.dsn.as_ref().map(|d| d.key_fingerprint());
        audit::initialized(true, fingerprint);
        if debug {
            if let Some(dsn) = &self.dsn {
                eprintln!("[sentry] enabled sentry client for DSN {}", dsn.redacted());
            }
        }
        if session {
            sentry::start_session();
        }
        Ok(Guard {
            client: Some(client),
        })
    }

    /// The sentry `ClientOptions` for this configuration, or `None` when Sentry is disabled.
    ///
    /// Built field by field: sentry's `dsn()` and sample-rate builder methods panic on bad
    /// input and are never called. Transport and default integrations are *not* set here
    /// (see [`init`](Self::init)). The returned options hold the DSN in plain form: this is
    /// where this crate's guarantee ends.
    pub fn client_options(&self) -> Result<Option<ClientOptions>, Error> {
        let Some(dsn) = &self.dsn else {
            return Ok(None);
        };
        let sdk_dsn = dsn.to_sdk().map_err(|source| Error::InvalidDsn {
            key: self.variable("dsn"),
            origin: self
                .origins
                .get("dsn")
                .cloned()
                .unwrap_or(crate::Origin::Default),
            source,
        })?;
        let mut o = ClientOptions::default();
        o.dsn = Some(sdk_dsn);
        o.release = self.release.clone().map(Cow::Owned);
        o.environment = Some(match &self.environment {
            Some(e) => Cow::Owned(e.clone()),
            None if cfg!(debug_assertions) => Cow::Borrowed("development"),
            None => Cow::Borrowed("production"),
        });
        if let Some(s) = &self.server_name {
            o.server_name = Some(Cow::Owned(s.clone()));
        }
        // Assigned directly: the builder methods panic on out-of-range input. The loader has
        // validated both rates already.
        o.event_sampling_strategy = EventSamplingStrategy::FixedRate(self.sample_rate);
        if self.origins.contains_key("traces_sample_rate") {
            o.traces_sampling_strategy = TracesSamplingStrategy::FixedRate(self.traces_sample_rate);
        }
        if let Some(dist) = self.dist.clone() {
            // ClientOptions has no `dist`: stamp it on every event that lacks one.
            o.before_send = Some(Arc::new(move |mut event: Event<'static>| {
                if event.dist.is_none() {
                    event.dist = Some(Cow::Owned(dist.clone()));
                }
                Some(event)
            }));
        }
        o.debug = self.debug;
        o.attach_stacktrace = self.attach_stacktrace;
        o.send_default_pii = self.send_default_pii;
        o.max_breadcrumbs = self.max_breadcrumbs;
        o.shutdown_timeout = self.shutdown_timeout;
        Ok(Some(o))
    }
}

/// What `sentry::apply_defaults` adds, minus its environment reads of `SENTRY_DSN`,
/// `SENTRY_RELEASE`, `SENTRY_ENVIRONMENT` and `SSL_VERIFY` (the loader owns those). Proxies
/// are still taken from `HTTP_PROXY`/`HTTPS_PROXY` as sentry does.
fn with_defaults(mut o: ClientOptions) -> ClientOptions {
    if o.transport.is_none() {
        o.transport = Some(Arc::new(sentry::transports::DefaultTransportFactory));
    }
    if o.default_integrations {
        let mut integrations: Vec<Arc<dyn Integration>> = vec![
            Arc::new(backtrace::AttachStacktraceIntegration),
            Arc::new(debug_images::DebugImagesIntegration::default()),
            Arc::new(contexts::ContextIntegration::default()),
            Arc::new(panic::PanicIntegration::new()),
            Arc::new(backtrace::ProcessStacktraceIntegration),
        ];
        integrations.extend(o.integrations);
        o.integrations = integrations;
    }
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    if o.http_proxy.is_none() {
        o.http_proxy = var("HTTP_PROXY")
            .or_else(|| var("http_proxy"))
            .map(Cow::Owned);
    }
    if o.https_proxy.is_none() {
        o.https_proxy = var("HTTPS_PROXY")
            .or_else(|| var("https_proxy"))
            .map(Cow::Owned)
            .or_else(|| o.http_proxy.clone());
    }
    o
}

/// Keeps Sentry running. When dropped, the session ends and queued events are flushed for
/// up to the shutdown timeout.
///
/// **Keep it alive for the whole program**: `let _guard = init()?;` does, but
/// `let _ = init()?;` drops it at once and Sentry stops before anything is sent.
#[must_use = "dropping the guard shuts Sentry down at once: bind it with `let _guard = ...`"]
pub struct Guard {
    client: Option<Arc<Client>>,
}

impl Guard {
    /// Whether a client was started (false when no DSN was configured).
    pub fn is_enabled(&self) -> bool {
        self.client.as_ref().is_some_and(|c| c.is_enabled())
    }

    /// The sentry client, when enabled. It holds the DSN in plain form.
    pub fn client(&self) -> Option<&Arc<Client>> {
        self.client.as_ref()
    }

    /// Sends queued events, waiting at most `timeout`. Returns whether the queue drained.
    pub fn flush(&self, timeout: Duration) -> bool {
        self.client.as_ref().is_none_or(|c| c.flush(Some(timeout)))
    }
}

impl fmt::Debug for Guard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guard")
            .field("enabled", &self.is_enabled())
            .finish()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            sentry::end_session();
            client.close(None);
        }
    }
}
