//! One tmux driver for the end-to-end tests and the benchmark: a private
//! server (its own socket), one 120×40 session running a shell, keys sent,
//! the screen read.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    /// The folders the app's config, history and cache go to: its own,
    /// never the user's.
    home: tempfile::TempDir,
}

const SESSION: &str = "s";

impl Tmux {
    /// Whether tmux can be run here.
    pub fn available() -> bool {
        Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// A new server with a shell (prompt `$ `) in `dir`.
    pub fn start(dir: &Path) -> Tmux {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let t = Tmux {
            socket: format!("egregora-inspect-{}-{n}", std::process::id()),
            home: tempfile::tempdir().expect("a temp folder"),
        };
        let home = t.home.path().display();
        let shell = format!(
            "env PS1='$ ' XDG_CONFIG_HOME={home}/config XDG_STATE_HOME={home}/state \
             XDG_CACHE_HOME={home}/cache sh"
        );
        let out = t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &dir.to_string_lossy(),
            &shell,
        ]);
        assert!(
            out.status.success(),
            "tmux starts: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // What is typed before the shell's first prompt is echoed without
        // it, and the prompt then lands at its end: wait for the prompt.
        t.wait_for("$");
        t
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", SESSION]).stdout)
            .into_owned()
    }

    /// Sends keys (tmux names: `Enter`, `Escape`, `C-c` …) at once.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", SESSION, k]);
        }
    }

    /// Sends keys as a person types them, a moment apart.
    pub fn send(&self, keys: &[&str]) {
        for k in keys {
            self.keys(&[k]);
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Types `line` literally, then Enter.
    pub fn type_line(&self, line: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", line]);
        self.keys(&["Enter"]);
    }

    /// Waits (up to `limit`) until `needle` is on the screen; the screen.
    pub fn wait_within(&self, needle: &str, limit: Duration) -> String {
        let start = Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < limit,
                "waited for {needle:?}; the screen:\n{s}"
            );
            std::thread::sleep(pause);
            // Poll fast at first (timings), then spare the machine.
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_within(needle, Duration::from_secs(20))
    }

    /// Waits until `needle` is off the screen (a dialog closed, say).
    pub fn wait_gone(&self, needle: &str) {
        let start = Instant::now();
        while self.screen().contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{needle:?} stayed on the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clears the screen, types `line` and then `then`, and waits until
    /// `needle` is on the screen: the time from typing to it.
    pub fn launch_until(&self, line: &str, needle: &str, then: &[&str]) -> Duration {
        self.type_line("clear");
        std::thread::sleep(Duration::from_millis(200));
        let t = Instant::now();
        self.run(&["send-keys", "-t", SESSION, "-l", line]);
        self.keys(&["Enter"]);
        self.keys(then);
        self.wait_within(needle, Duration::from_secs(120));
        t.elapsed()
    }

    /// A tmux format of the pane (`#{alternate_on}`, `#{pane_title}` …).
    pub fn format(&self, f: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["display-message", "-p", "-t", SESSION, f])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// The pid of the program the pane's shell runs (the app).
    pub fn app_pid(&self) -> Option<i32> {
        let pane = self.format("#{pane_pid}");
        std::fs::read_to_string(format!("/proc/{pane}/task/{pane}/children"))
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
