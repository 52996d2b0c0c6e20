//! A zero-on-free global allocator: every block freed while "armed" is searched for the
//! canary before it is wiped and returned. The env, `VAR_FILE` and `.env` paths (and an
//! error path) must free no block that still holds the secret.
//!
//! The canary is assembled in stack buffers, so the only heap copies are the loader's own.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sentry_secrets::{DotEnv, Loader, Policy};

#[path = "support/jail.rs"]
mod jail;

/// The part of the key searched for in freed blocks.
const NEEDLE: &[u8] = b"Zq9CanaryZeroOnFree";
const KEY: &[u8; 32] = b"Zq9CanaryZeroOnFreeZq9Canary0000";

static ARMED: AtomicBool = AtomicBool::new(false);
static LEAKS: AtomicUsize = AtomicUsize::new(0);
static SERIAL: Mutex<()> = Mutex::new(());

struct Sniffer;

// SAFETY: forwards to the system allocator; `dealloc` only reads and zeroes the block it is
// handed, which the caller guarantees is live and `layout.size()` bytes long.
unsafe impl GlobalAlloc for Sniffer {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe {
            if ARMED.load(Ordering::SeqCst) {
                let block = std::slice::from_raw_parts(ptr, layout.size());
                if block.windows(NEEDLE.len()).any(|w| w == NEEDLE) {
                    LEAKS.fetch_add(1, Ordering::SeqCst);
                }
            }
            ptr.write_bytes(0, layout.size());
            System.dealloc(ptr, layout);
        }
    }
}

#[global_allocator]
static ALLOC: Sniffer = Sniffer;

/// `prefix` + KEY + `suffix` in a stack buffer.
struct StackText {
    buf: [u8; 256],
    len: usize,
}

impl StackText {
    fn new(parts: &[&[u8]]) -> StackText {
        let mut t = StackText {
            buf: [0; 256],
            len: 0,
        };
        for p in parts {
            t.buf[t.len..t.len + p.len()].copy_from_slice(p);
            t.len += p.len();
        }
        t
    }
    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Runs `f` armed and returns how many freed blocks still held the canary.
fn leaks_during(f: impl FnOnce()) -> usize {
    LEAKS.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    f();
    ARMED.store(false, Ordering::SeqCst);
    LEAKS.load(Ordering::SeqCst)
}

fn dsn_text() -> StackText {
    StackText::new(&[b"http://", KEY, b"@127.0.0.1:9/42"])
}

fn write_secret_file(path: &std::path::Path, content: &[u8]) {
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn the_sniffer_sees_an_unwiped_copy() {
    let _s = SERIAL.lock().unwrap();
    let text = dsn_text();
    let n = leaks_during(|| {
        let copy = text.bytes().to_vec();
        drop(std::hint::black_box(copy));
    });
    assert!(n > 0, "positive control: a plain Vec copy must be detected");
}

#[test]
fn env_path_frees_no_copy() {
    let _s = SERIAL.lock().unwrap();
    let mut jail = jail::Jail::new();
    let text = dsn_text();
    jail.set("SENTRY_DSN", OsStr::from_bytes(text.bytes()));
    let mut project = String::with_capacity(8);
    let n = leaks_during(|| {
        let config = Loader::new().no_dotenv().resolve().unwrap();
        project.push_str(config.dsn().unwrap().project_id());
        drop(config);
    });
    assert_eq!(project, "42");
    assert_eq!(
        n, 0,
        "the env path freed {n} unwiped block(s) holding the DSN key"
    );
}

#[test]
fn file_path_frees_no_copy() {
    let _s = SERIAL.lock().unwrap();
    let mut jail = jail::Jail::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dsn");
    write_secret_file(&path, StackText::new(&[dsn_text().bytes(), b"\n"]).bytes());
    jail.set("SENTRY_DSN_FILE", &path);
    let mut project = String::with_capacity(8);
    let n = leaks_during(|| {
        let config = Loader::new().no_dotenv().resolve().unwrap();
        project.push_str(config.dsn().unwrap().project_id());
        drop(config);
    });
    assert_eq!(project, "42");
    assert_eq!(
        n, 0,
        "the file path freed {n} unwiped block(s) holding the DSN key"
    );
}

#[test]
fn dotenv_path_frees_no_copy() {
    let _s = SERIAL.lock().unwrap();
    let _jail = jail::Jail::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let content = StackText::new(&[
        b"# dev settings\nSENTRY_ENVIRONMENT=dev\nSENTRY_DSN=\"",
        dsn_text().bytes(),
        b"\"\nOTHER='",
        KEY,
        b"'\n",
    ]);
    write_secret_file(&path, content.bytes());
    let policy = Policy {
        dotenv: DotEnv::Always,
        ..Policy::default()
    };
    let mut project = String::with_capacity(8);
    let n = leaks_during(|| {
        let config = Loader::new()
            .policy(policy)
            .dotenv_path(&path)
            .resolve()
            .unwrap();
        project.push_str(config.dsn().unwrap().project_id());
        drop(config);
    });
    assert_eq!(project, "42");
    assert_eq!(
        n, 0,
        "the .env path freed {n} unwiped block(s) holding the DSN key"
    );
}

#[test]
fn error_path_frees_no_copy() {
    let _s = SERIAL.lock().unwrap();
    let mut jail = jail::Jail::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dsn");
    // A bad project id: the value is read, validated, rejected and dropped.
    write_secret_file(
        &path,
        StackText::new(&[b"http://", KEY, b"@h/notanumber"]).bytes(),
    );
    jail.set("SENTRY_DSN_FILE", &path);
    let mut failed = false;
    let n = leaks_during(|| {
        failed = Loader::new().no_dotenv().resolve().is_err();
    });
    assert!(failed);
    assert_eq!(
        n, 0,
        "the error path freed {n} unwiped block(s) holding the DSN key"
    );
}
