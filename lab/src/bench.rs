//! `swarmlab bench`: measures the live lab from the outside, as a terminal sees it:
//! launch to first frame, keystroke to echo through a pane, idle CPU, and memory with
//! 3 and 9 nodes. The lab runs in a pty of its own; its screen is read with vt100.

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Lab {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: mpsc::Receiver<Vec<u8>>,
    screen: vt100::Parser,
    /// A scratch XDG_RUNTIME_DIR, removed afterwards.
    _runtime: tempfile::TempDir,
}

impl Lab {
    fn start(exe: &Path, nodes: u16) -> std::io::Result<Lab> {
        let other = |e: anyhow_text::E| std::io::Error::other(e.0);
        let pair = native_pty_system()
            .openpty(PtySize { rows: 48, cols: 160, pixel_width: 0, pixel_height: 0 })
            .map_err(|e| other(e.into()))?;
        let scratch = tempfile::Builder::new().prefix("swarmlab-bench-").tempdir()?;
        let runtime = scratch.path().to_path_buf();
        let mut cmd = CommandBuilder::new(exe);
        cmd.args(["--lang", "en", "--shell", "/bin/sh", "--nodes", &nodes.to_string()]);
        cmd.env("XDG_RUNTIME_DIR", &runtime);
        // The learner's own progress stays untouched.
        cmd.env("XDG_DATA_HOME", runtime.join("data"));
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).map_err(|e| other(e.into()))?;
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().map_err(|e| other(e.into()))?;
        let writer = pair.master.take_writer().map_err(|e| other(e.into()))?;
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Ok(Lab { child, writer, output, screen: vt100::Parser::new(48, 160, 0), _runtime: scratch })
    }

    /// Reads output until the screen satisfies `pred`; the time it took.
    fn until(&mut self, timeout: Duration, pred: impl Fn(&str) -> bool) -> Option<Duration> {
        let start = Instant::now();
        loop {
            if pred(&self.screen.screen().contents()) {
                return Some(start.elapsed());
            }
            let left = timeout.checked_sub(start.elapsed())?;
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.screen.process(&bytes),
                Err(_) => return None,
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        let _ = self.writer.write_all(bytes);
        let _ = self.writer.flush();
    }

    fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    fn quit(mut self) {
        self.send(b"\x1b[21~");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

mod anyhow_text {
    pub struct E(pub String);
    impl<T: std::fmt::Display> From<T> for E {
        fn from(e: T) -> Self {
            E(e.to_string())
        }
    }
}

fn first_frame(screen: &str) -> bool {
    screen.contains("F10") && screen.contains("node3")
}

/// CPU seconds (user + system) a process has used so far.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

pub fn run(exe: &Path) -> std::io::Result<String> {
    let mut report = String::new();
    let wait = Duration::from_secs(10);
    let mut launches = Vec::new();
    for _ in 0..10 {
        let mut lab = Lab::start(exe, 3)?;
        let t = lab.until(wait, first_frame).ok_or_else(|| std::io::Error::other("no first frame in 10 s"))?;
        launches.push(t);
        lab.quit();
    }
    launches.sort();
    let _ = writeln!(
        report,
        "launch to first frame (3 nodes, 10 runs): median {:.1} ms, max {:.1} ms (target <= 150 ms)",
        percentile(&launches, 0.5).as_secs_f64() * 1e3,
        launches.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );

    let mut lab = Lab::start(exe, 3)?;
    lab.until(wait, |s| s.contains("node1 $")).ok_or_else(|| std::io::Error::other("no prompt in node1"))?;
    let mut echoes = Vec::new();
    let mut typed = String::new();
    for i in 0..300 {
        let c = (b'a' + (i % 26) as u8) as char;
        typed.push(c);
        let expect = format!("node1 $ {typed}");
        let start = Instant::now();
        lab.send(c.to_string().as_bytes());
        if lab.until(wait, |s| s.contains(&expect)).is_none() {
            return Err(std::io::Error::other(format!("keystroke {i} never echoed")));
        }
        echoes.push(start.elapsed());
        if typed.len() == 30 {
            lab.send(b"\x15");
            let line = format!("node1 $ {typed}");
            typed.clear();
            lab.until(wait, |s| !s.contains(&line));
        }
    }
    echoes.sort();
    let _ = writeln!(
        report,
        "keystroke to echo through a pane (300 keys): p50 {:.2} ms, p99 {:.2} ms (target p99 <= 10 ms)",
        percentile(&echoes, 0.5).as_secs_f64() * 1e3,
        percentile(&echoes, 0.99).as_secs_f64() * 1e3
    );

    let pid = lab.pid().ok_or_else(|| std::io::Error::other("no pid"))?;
    std::thread::sleep(Duration::from_secs(1));
    // Keep draining the screen while idle so the lab never blocks on output.
    let before = cpu_seconds(pid).unwrap_or_default();
    let _ = lab.until(Duration::from_secs(10), |_| false);
    let after = cpu_seconds(pid).unwrap_or_default();
    let _ = writeln!(report, "idle CPU over 10 s: {:.2} % (target <= 1 %)", (after - before) / 10.0 * 100.0);
    let _ = writeln!(report, "RSS with 3 nodes: {:.1} MB (target <= 60 MB)", rss_mb(pid).unwrap_or_default());
    lab.quit();

    let mut lab = Lab::start(exe, 9)?;
    lab.until(wait, |s| s.contains("F10") && s.contains("node9"));
    std::thread::sleep(Duration::from_secs(1));
    let _ = lab.until(Duration::from_millis(500), |_| false);
    let pid = lab.pid().ok_or_else(|| std::io::Error::other("no pid"))?;
    let _ = writeln!(report, "RSS with 9 nodes: {:.1} MB", rss_mb(pid).unwrap_or_default());
    lab.quit();
    Ok(report)
}
