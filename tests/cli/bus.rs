//! A real D-Bus session bus per test (dbus-daemon with its own config) and a
//! notification server in the test that owns org.freedesktop.Notifications
//! and records every Notify call. Nothing here is mocked: troth talks to it
//! over the bus exactly as it talks to a desktop's notification daemon.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use zbus::OwnedVariant;

#[derive(Clone, Debug)]
pub struct Received {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

pub struct Bus {
    daemon: Child,
    pub address: String,
    /// Where the bus's socket and its log live (removed when the bus is).
    _dir: tempfile::TempDir,
}

impl Bus {
    /// A dbus-daemon of the test's own, with a cleared environment,
    /// listening in a temp dir of its own (not the machine's /tmp) — or, where
    /// that dir's path cannot be a socket's (too long, or with bytes a D-Bus
    /// address must escape, such as a space in TMPDIR, which zbus does not
    /// unescape), on an abstract socket of a random name. Says what went
    /// wrong if it did not start.
    pub fn start() -> Bus {
        let dir = tempfile::Builder::new().prefix("troth-bus").tempdir().expect("temp dir for the bus");
        let template = include_str!("session.conf");
        let conf = dir.path().join("session.conf");
        std::fs::write(&conf, template.replace("@LISTEN@", &listen_address(dir.path()))).expect("bus config");
        let log = dir.path().join("dbus-daemon.log");
        let mut daemon = Command::new("dbus-daemon")
            .arg("--config-file")
            .arg(&conf)
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("bus log"))
            .spawn()
            .expect("dbus-daemon must be installed for the reminder tests: apt-get install dbus-daemon");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut line).expect("read the bus address");
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = daemon.kill();
            let status = daemon.wait();
            panic!(
                "dbus-daemon printed no address ({status:?}); its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        Bus { daemon, address, _dir: dir }
    }
}

/// Where a test's bus listens: see `Bus::start`.
fn listen_address(dir: &std::path::Path) -> String {
    let plain = dir.to_str().filter(|p| {
        // A socket's path holds 107 bytes; dbus-daemon adds `/dbus-` and 10 more.
        p.len() < 90 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b))
    });
    match plain {
        Some(p) => format!("unix:dir={p}"),
        None => format!("unix:abstract=troth-test-{}", uuid::Uuid::new_v4().simple()),
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

struct Server {
    received: Arc<Mutex<Vec<Received>>>,
    fail_next: Arc<AtomicU32>,
    next_id: AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> zbus::fdo::Result<u32> {
        if self.fail_next.load(Ordering::SeqCst) > 0 {
            self.fail_next.fetch_sub(1, Ordering::SeqCst);
            return Err(zbus::fdo::Error::Failed("the test server refused this one".into()));
        }
        self.received.lock().unwrap().push(Received { app_name, summary, body });
        Ok(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    async fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    async fn get_server_information(&self) -> (String, String, String, String) {
        ("troth-test".into(), "troth".into(), "1".into(), "1.2".into())
    }

    async fn close_notification(&self, _id: u32) {}
}

/// A notification server on `bus`, recording what it receives.
pub struct NotificationServer {
    pub received: Arc<Mutex<Vec<Received>>>,
    pub fail_next: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NotificationServer {
    pub fn start(bus: &Bus) -> NotificationServer {
        let received = Arc::new(Mutex::new(Vec::new()));
        let fail_next = Arc::new(AtomicU32::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let server =
            Server { received: Arc::clone(&received), fail_next: Arc::clone(&fail_next), next_id: AtomicU32::new(0) };
        let address = bus.address.clone();
        let thread = std::thread::spawn(move || {
            zbus::block_on(async move {
                let conn = zbus::connection::Builder::address(address.as_str())
                    .name("org.freedesktop.Notifications")
                    .serve_at("/org/freedesktop/Notifications", server)
                    .build()
                    .await
                    .expect("serve notifications");
                ready_tx.send(()).unwrap();
                // Keep serving until the test ends: the connection's tasks run
                // on this executor, so it must keep polling, not sleep.
                std::future::pending::<()>().await;
                drop(conn);
            })
        });
        ready_rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the notification server did not take its name on the bus in 60 s");
        NotificationServer { received, fail_next, stop, thread: Some(thread) }
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for NotificationServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The serving thread ends with the test process; the bus it serves
        // on is killed when the test's Bus is dropped.
        drop(self.thread.take());
    }
}
