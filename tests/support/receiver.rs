//! A tiny Sentry ingest stand-in on 127.0.0.1: accepts envelope POSTs, records the
//! `X-Sentry-Auth` header and the body, answers `200 {}`. Used by the quickstart and tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub auth: Option<String>,
    pub body: Vec<u8>,
}

impl Received {
    /// The `sentry_key` value of the `X-Sentry-Auth` header.
    pub fn sentry_key(&self) -> Option<&str> {
        let auth = self.auth.as_deref()?;
        auth.split([',', ' '])
            .find_map(|kv| kv.trim().strip_prefix("sentry_key="))
    }
}

/// A running receiver. Dropping it leaves the thread parked on `accept`; it dies with the
/// process.
pub struct Receiver {
    pub port: u16,
    got: Arc<(Mutex<Vec<Received>>, Condvar)>,
}

impl Receiver {
    pub fn start() -> std::io::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let got = Arc::new((Mutex::new(Vec::new()), Condvar::new()));
        let shared = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Ok(Receiver { port, got })
    }

    /// A DSN pointing at this receiver with `key` and project 42.
    pub fn dsn(&self, key: &str) -> String {
        format!("http://{key}@127.0.0.1:{}/42", self.port)
    }

    /// Waits up to `timeout` for at least one request and returns all received so far.
    pub fn wait(&self, timeout: Duration) -> Vec<Received> {
        let (lock, cvar) = &*self.got;
        let guard = lock.lock().unwrap();
        let (guard, _) = cvar
            .wait_timeout_while(guard, timeout, |v| v.is_empty())
            .unwrap();
        guard.clone()
    }
}

fn serve(stream: TcpStream, shared: &(Mutex<Vec<Received>>, Condvar)) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let path = request_line.split(' ').nth(1).unwrap_or("").to_owned();
        let (mut auth, mut len) = (None, 0usize);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "x-sentry-auth" => auth = Some(v.trim().to_owned()),
                    "content-length" => len = v.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; len.min(16 * 1024 * 1024)];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (lock, cvar) = shared;
        lock.lock().unwrap().push(Received { path, auth, body });
        cvar.notify_all();
        let reply =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        if writer.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// 32 random hex digits, from the standard library's randomly keyed hasher.
pub fn random_key() -> String {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(std::time::SystemTime::now());
    let b = RandomState::new().hash_one(std::process::id());
    format!("{a:016x}{b:016x}")
}
