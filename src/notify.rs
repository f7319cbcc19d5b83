//! Notifications behind a trait, so nothing else in troth depends on D-Bus.
//! `Desktop` sends freedesktop notifications through notify-rust (its pure-Rust
//! zbus backend); `Recorder` keeps them in memory for unit tests of the
//! reminder logic. The integration tests still go through a real bus.

use std::cell::RefCell;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub summary: String,
    pub body: String,
}

pub trait Notifier {
    /// Send one notification; Err carries a one-line reason.
    fn send(&self, note: &Note) -> Result<(), String>;

    /// Is a server there? Asked without showing anything, before a retry.
    fn reachable(&self) -> Result<(), String> {
        Ok(())
    }
}

pub struct Desktop;

impl Notifier for Desktop {
    fn send(&self, note: &Note) -> Result<(), String> {
        notify_rust::Notification::new()
            .appname("troth")
            .summary(&note.summary)
            .body(&note.body)
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn reachable(&self) -> Result<(), String> {
        notify_rust::get_server_information().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Keeps every note; fails the sends whose index is in `fail`.
#[derive(Default)]
pub struct Recorder {
    pub sent: RefCell<Vec<Note>>,
    pub fail: Vec<usize>,
}

impl Notifier for Recorder {
    fn send(&self, note: &Note) -> Result<(), String> {
        let n = self.sent.borrow().len();
        self.sent.borrow_mut().push(note.clone());
        if self.fail.contains(&n) { Err("refused by the recorder".into()) } else { Ok(()) }
    }
}
