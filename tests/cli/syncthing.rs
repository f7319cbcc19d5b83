//! End to end through two real Syncthing instances on this machine
//! (Debian's `syncthing`; CI installs it). Our own small harness: two homes
//! with their own keys, one shared folder, every listener on 127.0.0.1,
//! discovery, relays, NAT, usage reports and upgrades off — nothing leaves
//! the loopback interface. Each instance is stopped through its REST API,
//! then killed by the PID we started, when the test ends.

use crate::support::TestEnv;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Instance {
    home: PathBuf,
    folder: PathBuf,
    api: String,
    key: String,
    id: String,
    sync_port: u16,
    child: Option<Child>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.rest("POST", "/rest/system/shutdown", None);
        if let Some(mut c) = self.child.take() {
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Syncthing with a cleared environment: a proxy, an STGUIADDRESS or
/// STGUIAPIKEY (which override its config), or the HOME of whoever runs the
/// tests is not the test's.
fn syncthing(home: &Path) -> Command {
    let mut c = Command::new("syncthing");
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("STNODEFAULTFOLDER", "1")
        .env("STNOUPGRADE", "1")
        .env("STNORESTART", "1");
    c
}

impl Instance {
    fn rest(&self, method: &str, path: &str, body: Option<&str>) -> Option<String> {
        let mut c = Command::new("curl");
        // -q first: no ~/.curlrc; and no proxy from the environment.
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .args(["-q", "-sS", "--fail", "--noproxy", "*", "--max-time", "10", "-X", method, "-H"])
            .arg(format!("X-API-Key: {}", self.key));
        if let Some(b) = body {
            c.args(["-H", "Content-Type: application/json", "-d", b]);
        }
        let out = c.arg(format!("{}{path}", self.api)).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Keys, a config that listens on loopback only, and a running instance.
    /// The ports are free when chosen but another process may take one
    /// before Syncthing binds it: an instance that stops (or never answers)
    /// is started again on new ports, three times at most.
    fn start(home: &Path) -> Instance {
        Command::new("curl")
            .arg("--version")
            .output()
            .expect("curl must be installed for this test (apt-get install curl)");
        let ok = syncthing(home)
            .args(["generate", "--home"])
            .arg(home)
            .args(["--no-default-folder", "--skip-port-probing"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("Debian's `syncthing` package must be installed for this test (apt-get install syncthing)");
        assert!(ok.success());
        let id = String::from_utf8(
            syncthing(home).args(["serve", "--home"]).arg(home).arg("--device-id").output().unwrap().stdout,
        )
        .unwrap()
        .trim()
        .to_string();
        assert_eq!(id.len(), 63, "device id {id}");
        let generated = std::fs::read_to_string(home.join("config.xml")).unwrap();
        for attempt in 1.. {
            let mut me = Instance::spawn(home, &generated, id.clone());
            let deadline = Instant::now() + Duration::from_secs(90);
            loop {
                if me.rest("GET", "/rest/system/ping", None).is_some() {
                    return me;
                }
                let stopped = me.child.as_mut().is_some_and(|c| c.try_wait().ok().flatten().is_some());
                if stopped || Instant::now() > deadline {
                    let log = std::fs::read_to_string(home.join("syncthing.log")).unwrap_or_default();
                    assert!(attempt < 3, "syncthing in {} did not answer on {}; log:\n{log}", home.display(), me.api);
                    eprintln!("syncthing in {} did not answer on {}; again on other ports", home.display(), me.api);
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        unreachable!()
    }

    /// Its config with free loopback ports and a fresh API key, and the
    /// instance started on it.
    fn spawn(home: &Path, generated: &str, id: String) -> Instance {
        let (gui, sync_port) = (free_port(), free_port());
        let key: String = uuid::Uuid::new_v4().simple().to_string();
        let replace = |text: &str, open: &str, close: &str, with: &str| -> String {
            let a = text.find(open).expect(open);
            let b = text[a..].find(close).expect(close) + a + close.len();
            format!("{}{with}{}", &text[..a], &text[b..])
        };
        let cfg = replace(
            generated,
            "<gui ",
            "</gui>",
            &format!(
                "<gui enabled=\"true\" tls=\"false\"><address>127.0.0.1:{gui}</address><apikey>{key}</apikey></gui>"
            ),
        );
        let cfg = replace(
            &cfg,
            "<options>",
            "</options>",
            &format!(
                "<options><listenAddress>tcp://127.0.0.1:{sync_port}</listenAddress>\
                 <globalAnnounceServer></globalAnnounceServer><globalAnnounceEnabled>false</globalAnnounceEnabled>\
                 <localAnnounceEnabled>false</localAnnounceEnabled><relaysEnabled>false</relaysEnabled>\
                 <natEnabled>false</natEnabled><startBrowser>false</startBrowser><urAccepted>-1</urAccepted>\
                 <urURL>http://127.0.0.1:1/</urURL><autoUpgradeIntervalH>0</autoUpgradeIntervalH>\
                 <releasesURL>http://127.0.0.1:1/</releasesURL><crashReportingEnabled>false</crashReportingEnabled>\
                 <crashReportingURL>http://127.0.0.1:1/</crashReportingURL><stunServer></stunServer>\
                 <announceLANAddresses>false</announceLANAddresses><minHomeDiskFree unit=\"%\">0</minHomeDiskFree>\
                 <reconnectionIntervalS>1</reconnectionIntervalS></options>"
            ),
        );
        std::fs::write(home.join("config.xml"), cfg).unwrap();
        let folder = home.join("Sync");
        std::fs::create_dir_all(folder.join(".stfolder")).unwrap();
        let log = std::fs::File::create(home.join("syncthing.log")).unwrap();
        let child = syncthing(home)
            .args(["serve", "--home"])
            .arg(home)
            .args(["--no-browser", "--no-restart", "--no-upgrade"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        Instance {
            home: home.to_path_buf(),
            folder,
            api: format!("http://127.0.0.1:{gui}"),
            key,
            id,
            sync_port,
            child: Some(child),
        }
    }

    fn wait_for(&self, secs: u64, what: &str, mut f: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !f() {
            assert!(
                Instant::now() < deadline,
                "syncthing in {} did not get to {what} in {secs}s; log:\n{}",
                self.home.display(),
                std::fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Know `peer` at its loopback address and share the folder with it.
    fn share_with(&self, peer: &Instance) {
        let device = format!(
            r#"{{"deviceID":"{}","name":"peer","addresses":["tcp://127.0.0.1:{}"],"autoAcceptFolders":false,"paused":false}}"#,
            peer.id, peer.sync_port
        );
        self.rest("PUT", &format!("/rest/config/devices/{}", peer.id), Some(&device)).expect("add device");
        let folder = format!(
            r#"{{"id":"troth","label":"troth","path":"{}","type":"sendreceive","rescanIntervalS":5,"fsWatcherEnabled":true,"fsWatcherDelayS":1,"minDiskFree":{{"value":0,"unit":"%"}},"devices":[{{"deviceID":"{}"}},{{"deviceID":"{}"}}]}}"#,
            self.folder.display(),
            self.id,
            peer.id
        );
        self.rest("PUT", "/rest/config/folders/troth", Some(&folder)).expect("add folder");
    }

    fn connected_to(&self, peer: &Instance) -> bool {
        self.rest("GET", "/rest/system/connections", None).is_some_and(|s| {
            let v: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
            v["connections"][&peer.id]["connected"] == true
        })
    }
}

#[test]
fn a_kept_promise_shows_on_the_other_device_through_syncthing_without_running_sync() {
    let dir = tempfile::tempdir().unwrap();
    let a = Instance::start(&dir.path().join("a"));
    let b = Instance::start(&dir.path().join("b"));
    a.share_with(&b);
    b.share_with(&a);
    a.wait_for(120, "a connection", || a.connected_to(&b) && b.connected_to(&a));

    let alex = TestEnv::berlin();
    let mut sam = TestEnv::berlin();
    alex.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    alex.ok(&["promise", "Date night every Friday", "--terms", "every fri 19:00", "--slug", "date-night"]);
    let code = alex.json(&["sync", "setup", a.folder.to_str().unwrap()])["code"].as_str().unwrap().to_string();
    let arrived = |f: &Path| {
        std::fs::read_dir(f)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".troth"))
    };
    b.wait_for(120, "the first file", || arrived(&b.folder));
    sam.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    sam.extra.push(("TROTH_SYNC_CODE".into(), code));
    sam.ok(&["sync", "join", b.folder.to_str().unwrap()]);
    assert_eq!(sam.json(&["list"])[0]["slug"], "date-night");

    // Alex keeps it; Sam's `log` shows it within seconds, without `troth sync`.
    alex.ok(&["kept", "date-night", "--at", "now", "--note", "the little Italian place"]);
    let started = Instant::now();
    b.wait_for(60, "Alex's entry on Sam's screen", || {
        sam.json(&["log"]).as_array().is_some_and(|l| l.len() == 1 && l[0]["by"] == "Alex")
    });
    assert!(started.elapsed() < Duration::from_secs(60));
    // And the other way.
    sam.ok(&["promise", "Call if I'm running late", "--terms", "standing", "--slug", "call"]);
    a.wait_for(120, "Sam's promise on Alex's screen", || {
        alex.json(&["list"]).as_array().is_some_and(|l| l.iter().any(|x| x["slug"] == "call"))
    });
    assert_eq!(alex.json(&["verify"])["ok"], true);
    assert_eq!(sam.json(&["verify"])["ok"], true);
}
