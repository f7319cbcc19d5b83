//! One error type for the whole program, and the exit code each kind maps to.
//!
//! `Usage` is bad input (exit 2): the user can fix it by typing something else.
//! `Failure` is everything else (exit 1): an unreadable ledger, no notification
//! server, a full disk. Both carry `hint:` lines that say what would be right.

use std::fmt;

#[derive(Debug)]
pub enum Kind {
    Usage,
    Failure,
    /// stdout was closed early (`troth log | head -1`): not an error.
    BrokenPipe,
    /// Another troth created the ledger while this one was building it, and
    /// nothing was written: the command can simply run again (exit 1 if not).
    Raced,
}

#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hints: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Bad input: exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Error { kind: Kind::Usage, message: message.into(), hints: Vec::new() }
    }

    /// Any other failure: exit 1.
    pub fn failure(message: impl Into<String>) -> Self {
        Error { kind: Kind::Failure, message: message.into(), hints: Vec::new() }
    }

    /// Lost the race to create the ledger; nothing was written (exit 1).
    pub fn raced(message: impl Into<String>) -> Self {
        Error { kind: Kind::Raced, message: message.into(), hints: Vec::new() }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Failure | Kind::BrokenPipe | Kind::Raced => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &e {
            use rusqlite::ErrorCode::*;
            match code.code {
                DiskFull => {
                    return Error::failure(format!("the ledger could not be written: the disk is full ({e})"))
                        .hint("nothing was changed; free some space and run the command again");
                }
                ReadOnly => {
                    return Error::failure(format!("the ledger is read-only here ({e})"))
                        .hint("nothing was changed; check the file's and its folder's permissions");
                }
                SystemIoFailure => {
                    return Error::failure(format!(
                        "could not write the ledger: a disk I/O error — is the disk full? ({e})"
                    ))
                    .hint("nothing was changed; free some space (or check the disk) and run the command again");
                }
                DatabaseBusy | DatabaseLocked => {
                    return Error::failure(format!("the ledger is busy: another troth kept it locked too long ({e})"))
                        .hint("nothing was changed; run the command again");
                }
                NotADatabase => {
                    return Error::failure("this file is not a troth ledger (it is not an SQLite database)")
                        .hint("point --db or TROTH_DB at a troth ledger, or at a path where none exists yet");
                }
                _ => {}
            }
        }
        Error::failure(format!("ledger error: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Error { kind: Kind::BrokenPipe, message: String::new(), hints: Vec::new() };
        }
        Error::failure(format!("{e}"))
    }
}

/// Writing CSV fails only as its writer does: an I/O error stays one.
impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Error {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::from(io),
            other => Error::failure(format!("could not write CSV: {other:?}")),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        if e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) {
            return Error { kind: Kind::BrokenPipe, message: String::new(), hints: Vec::new() };
        }
        Error::failure(format!("{e}"))
    }
}

/// A parser's refusal is a usage error (exit 2) whose message is its `Display`.
macro_rules! usage_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::usage(e.to_string())
            }
        }
    )*};
}
usage_from!(
    crate::domain::time::ZoneError,
    crate::domain::time::WhenError,
    crate::domain::time::DurationError,
    crate::domain::terms::TermsError,
    crate::domain::report::WeekError
);
