//! Serialises tests that touch the process environment and restores it afterwards
//! (in the spirit of Figment's `Jail`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::sync::{Mutex, MutexGuard};

static LOCK: Mutex<()> = Mutex::new(());

/// Holds the environment lock; every variable set through it is restored on drop.
pub struct Jail {
    saved: HashMap<OsString, Option<OsString>>,
    _lock: MutexGuard<'static, ()>,
}

impl Jail {
    pub fn new() -> Jail {
        let lock = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let mut jail = Jail {
            saved: HashMap::new(),
            _lock: lock,
        };
        // Start every jailed test from a clean Sentry environment.
        let sentry_vars: Vec<OsString> = std::env::vars_os()
            .map(|(k, _)| k)
            .filter(|k| k.to_string_lossy().contains("SENTRY_") || k == "CREDENTIALS_DIRECTORY")
            .collect();
        for k in sentry_vars {
            jail.remove(k);
        }
        jail
    }

    pub fn set(&mut self, key: impl Into<OsString>, value: impl AsRef<std::ffi::OsStr>) {
        let key = key.into();
        self.saved
            .entry(key.clone())
            .or_insert_with(|| std::env::var_os(&key));
        // SAFETY: every test that touches the environment holds LOCK, so no other test
        // thread reads or writes it concurrently.
        unsafe { std::env::set_var(&key, value) };
    }

    pub fn remove(&mut self, key: impl Into<OsString>) {
        let key = key.into();
        self.saved
            .entry(key.clone())
            .or_insert_with(|| std::env::var_os(&key));
        // SAFETY: as in `set`.
        unsafe { std::env::remove_var(&key) };
    }
}

impl Drop for Jail {
    fn drop(&mut self) {
        for (k, v) in self.saved.drain() {
            // SAFETY: as in `set`; the lock is still held.
            unsafe {
                match v {
                    Some(v) => std::env::set_var(&k, v),
                    None => std::env::remove_var(&k),
                }
            }
        }
    }
}
