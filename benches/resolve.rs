//! Resolving DSN + token + options, against the plain way (`std::env::var` +
//! `Dsn::from_str`) on the same inputs, in the same run.
//!
//! ```text
//! cargo bench --bench resolve
//! ```
//!
//! Memory: before the timings, the bench prints the heap allocations (count and bytes) of one
//! call of each, counted by a global allocator that wraps the system one.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::os::unix::fs::PermissionsExt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use sentry_secrets::Loader;
use sentry_secrets::sentry::types::Dsn;

const DSN: &str = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42";
const TOKEN: &str = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const OPTIONS: [(&str, &str); 5] = [
    ("SENTRY_ENVIRONMENT", "production"),
    ("SENTRY_RELEASE", "api@1.2.3"),
    ("SENTRY_SAMPLE_RATE", "0.5"),
    ("SENTRY_TRACES_SAMPLE_RATE", "0.1"),
    ("SENTRY_DEBUG", "false"),
];

type Options = (Option<String>, Option<String>, f32, f32, bool);

/// The options, read the plain way with the same validation.
fn plain_options() -> Options {
    let env = std::env::var("SENTRY_ENVIRONMENT").ok();
    let release = std::env::var("SENTRY_RELEASE").ok();
    let rate: f32 = std::env::var("SENTRY_SAMPLE_RATE")
        .unwrap()
        .parse()
        .unwrap();
    let traces: f32 = std::env::var("SENTRY_TRACES_SAMPLE_RATE")
        .unwrap()
        .parse()
        .unwrap();
    let debug: bool = std::env::var("SENTRY_DEBUG").unwrap().parse().unwrap();
    assert!((0.0..=1.0).contains(&rate) && (0.0..=1.0).contains(&traces));
    (env, release, rate, traces, debug)
}

/// What most services do today.
fn plain_env() -> (Dsn, String, Options) {
    let dsn = Dsn::from_str(&std::env::var("SENTRY_DSN").unwrap()).unwrap();
    let token = std::env::var("SENTRY_AUTH_TOKEN").unwrap();
    (dsn, token, plain_options())
}

fn plain_files(dsn_path: &str, token_path: &str) -> (Dsn, String, Options) {
    let dsn = Dsn::from_str(std::fs::read_to_string(dsn_path).unwrap().trim()).unwrap();
    let token = std::fs::read_to_string(token_path)
        .unwrap()
        .trim()
        .to_owned();
    (dsn, token, plain_options())
}

/// Counts heap allocations, to report the memory side of each call.
struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // Counting only while `allocations` runs, so the timings pay one relaxed load.
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (count, bytes) made by one call of `f`, its result dropped.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let (a, b) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    COUNTING.store(true, Ordering::SeqCst);
    drop(black_box(f()));
    COUNTING.store(false, Ordering::SeqCst);
    (
        ALLOCS.load(Ordering::SeqCst) - a,
        BYTES.load(Ordering::SeqCst) - b,
    )
}

fn print_allocations(group: &str, plain: (usize, usize), ours: (usize, usize)) {
    println!(
        "{group}: allocations per call: plain {} ({} bytes), sentry-secrets {} ({} bytes)",
        plain.0, plain.1, ours.0, ours.1
    );
}

fn set(k: &str, v: &str) {
    // SAFETY: the benchmark is single-threaded while it sets up the environment.
    unsafe { std::env::set_var(k, v) }
}

fn unset(k: &str) {
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(k) }
}

fn bench(c: &mut Criterion) {
    for (k, v) in OPTIONS {
        set(k, v);
    }
    set("SENTRY_DSN", DSN);
    set("SENTRY_AUTH_TOKEN", TOKEN);

    print_allocations(
        "from_env",
        allocations(plain_env),
        allocations(|| Loader::new().no_dotenv().resolve().unwrap()),
    );
    let mut g = c.benchmark_group("from_env");
    g.bench_function("plain std::env::var + Dsn::from_str", |b| {
        b.iter(|| black_box(plain_env()))
    });
    g.bench_function("sentry-secrets Loader::resolve", |b| {
        b.iter(|| black_box(Loader::new().no_dotenv().resolve().unwrap()))
    });
    g.finish();

    let dir = tempfile::tempdir().unwrap();
    let dsn_path = dir.path().join("dsn");
    let token_path = dir.path().join("token");
    for (p, v) in [(&dsn_path, DSN), (&token_path, TOKEN)] {
        std::fs::write(p, format!("{v}\n")).unwrap();
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    unset("SENTRY_DSN");
    unset("SENTRY_AUTH_TOKEN");
    set("SENTRY_DSN_FILE", dsn_path.to_str().unwrap());
    set("SENTRY_AUTH_TOKEN_FILE", token_path.to_str().unwrap());
    let (d, t) = (dsn_path.to_str().unwrap(), token_path.to_str().unwrap());
    print_allocations(
        "from_files",
        allocations(|| plain_files(d, t)),
        allocations(|| Loader::new().no_dotenv().resolve().unwrap()),
    );
    let mut g = c.benchmark_group("from_files");
    g.bench_function("plain read_to_string + Dsn::from_str", |b| {
        b.iter(|| black_box(plain_files(d, t)))
    });
    g.bench_function("sentry-secrets Loader::resolve", |b| {
        b.iter(|| black_box(Loader::new().no_dotenv().resolve().unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
