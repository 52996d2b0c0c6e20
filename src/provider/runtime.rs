//! The sync bridge: runs an async store client to completion from synchronous code.
//!
//! [`SecretProvider::fetch`](super::SecretProvider::fetch) is synchronous, and `init()` must
//! work both from a plain `main` (no runtime yet) and from inside a tokio runtime, where
//! `Runtime::block_on` would panic. So every async fetch runs on a fresh thread with its own
//! current-thread runtime, and the caller waits for the answer on a channel, never past the
//! deadline:
//!
//! - the future is wrapped in `tokio::time::timeout(ctx.request_timeout())`;
//! - the caller waits with `recv_timeout(ctx.remaining())`, so even a client stuck outside
//!   tokio's timers (a blocking DNS lookup, say) cannot hold start-up past the deadline. Such
//!   a thread is left to finish on its own; it holds no lock the caller needs.

use std::future::Future;
use std::sync::mpsc;
use std::thread;

use super::{FetchContext, ProviderError, ProviderErrorKind};

/// Runs the future made by `make` on a dedicated thread and runtime, bounded by `ctx`.
///
/// `make` is called on the new thread, so the future itself need not be `Send`. `backend`
/// names the store in timeout messages.
pub(crate) fn block_on<T, F, M>(
    backend: &'static str,
    ctx: &FetchContext,
    make: M,
) -> Result<T, ProviderError>
where
    T: Send + 'static,
    F: Future<Output = Result<T, ProviderError>>,
    M: FnOnce() -> F + Send + 'static,
{
    let request_timeout = ctx.request_timeout();
    let remaining = ctx.remaining();
    if request_timeout.is_zero() || remaining.is_zero() {
        return Err(ProviderError::new(
            ProviderErrorKind::Timeout,
            format!("{backend}: resolution deadline passed before the request"),
        ));
    }
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new()
        .name("sentry-secrets-fetch".into())
        .spawn(move || {
            let outcome = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => {
                    let out = rt.block_on(async {
                        match tokio::time::timeout(request_timeout, make()).await {
                            Ok(result) => result,
                            Err(_) => Err(request_timed_out(backend, request_timeout)),
                        }
                    });
                    // Do not wait for blocking tasks (a stuck DNS lookup) to finish.
                    rt.shutdown_background();
                    out
                }
                Err(e) => Err(ProviderError::new(
                    ProviderErrorKind::Other,
                    format!("{backend}: cannot start an async runtime"),
                )
                .with_source(e)),
            };
            // The caller may have stopped waiting; then the result is dropped (and wiped).
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(ProviderError::new(
            ProviderErrorKind::Other,
            format!("{backend}: cannot start a fetch thread"),
        )
        .with_source(e));
    }
    match rx.recv_timeout(remaining) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ProviderError::new(
            ProviderErrorKind::Timeout,
            format!("{backend}: no answer before the resolution deadline"),
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ProviderError::new(
            ProviderErrorKind::Other,
            format!("{backend}: the store client panicked"),
        )),
    }
}

fn request_timed_out(backend: &'static str, after: std::time::Duration) -> ProviderError {
    ProviderError::new(
        ProviderErrorKind::Timeout,
        format!("{backend}: no answer within {} ms", after.as_millis()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn ctx(deadline: Duration, request: Duration) -> FetchContext {
        FetchContext::new(Instant::now() + deadline, request)
    }

    #[test]
    fn from_plain_code() {
        let v = block_on(
            "test",
            &ctx(Duration::from_secs(5), Duration::from_secs(1)),
            || async { Ok(7) },
        );
        assert_eq!(v.unwrap(), 7);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn from_inside_a_current_thread_runtime() {
        let v = block_on(
            "test",
            &ctx(Duration::from_secs(5), Duration::from_secs(1)),
            || async { Ok(8) },
        );
        assert_eq!(v.unwrap(), 8);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn from_inside_a_multi_thread_runtime() {
        let v = block_on(
            "test",
            &ctx(Duration::from_secs(5), Duration::from_secs(1)),
            || async { Ok(9) },
        );
        assert_eq!(v.unwrap(), 9);
    }

    #[test]
    fn request_timeout_holds() {
        let started = Instant::now();
        let err = block_on(
            "test",
            &ctx(Duration::from_secs(5), Duration::from_millis(200)),
            || async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.kind(), ProviderErrorKind::Timeout);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn deadline_holds_even_when_the_client_blocks_the_thread() {
        let started = Instant::now();
        let err = block_on(
            "test",
            &ctx(Duration::from_millis(300), Duration::from_secs(5)),
            || {
                async {
                    // Blocks the runtime thread: tokio's timer cannot fire.
                    std::thread::sleep(Duration::from_secs(3));
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err.kind(), ProviderErrorKind::Timeout);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_panicking_client_is_an_error_not_a_panic() {
        let err = block_on::<(), _, _>(
            "test",
            &ctx(Duration::from_secs(5), Duration::from_secs(1)),
            || async { panic!("client bug") },
        )
        .unwrap_err();
        assert_eq!(err.kind(), ProviderErrorKind::Other);
    }

    #[test]
    fn expired_deadline_does_not_start() {
        let c = FetchContext::new(Instant::now(), Duration::from_secs(1));
        let err = block_on("test", &c, || async { Ok(()) }).unwrap_err();
        assert_eq!(err.kind(), ProviderErrorKind::Timeout);
    }
}
