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
}

impl Bus {
    pub fn start() -> Bus {
        let conf = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/session.conf");
        let mut daemon = Command::new("dbus-daemon")
            .args(["--config-file", conf, "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon must be installed for the reminder tests: apt-get install dbus-daemon");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Bus { daemon, address: line.trim().to_string() }
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
        ready_rx.recv_timeout(std::time::Duration::from_secs(10)).expect("server ready");
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
