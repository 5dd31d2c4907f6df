//! A pane's pseudo-terminal: the shell process, a reader thread forwarding its output
//! through a bounded channel (a `yes` in a pane blocks on the channel instead of
//! growing memory), and the writer keys go to.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use tokio::sync::mpsc;

/// What the reader threads report: the pane, the serial of the shell it ran (a pane
/// whose shell was replaced ignores what the old one still says), and what happened.
#[derive(Debug)]
pub enum PtyEvent {
    Output(usize, u64, Vec<u8>),
    Exited(usize, u64),
}

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Pty {
    /// Starts `cmd` in a new pty of `rows`×`cols`; pane `idx`'s output goes to `tx`,
    /// marked with `serial`.
    pub fn spawn(
        idx: usize,
        serial: u64,
        cmd: CommandBuilder,
        rows: u16,
        cols: u16,
        tx: mpsc::Sender<PtyEvent>,
    ) -> std::io::Result<Pty> {
        let pair = native_pty_system()
            .openpty(PtySize { rows: rows.max(2), cols: cols.max(10), pixel_width: 0, pixel_height: 0 })
            .map_err(other)?;
        let child = pair.slave.spawn_command(cmd).map_err(other)?;
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().map_err(other)?;
        let writer = pair.master.take_writer().map_err(other)?;
        std::thread::Builder::new().name(format!("pty-{idx}")).spawn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.blocking_send(PtyEvent::Output(idx, serial, buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                }
            }
            let _ = tx.blocking_send(PtyEvent::Exited(idx, serial));
        })?;
        Ok(Pty { master: pair.master, writer, child })
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let _ = self.writer.write_all(bytes);
        let _ = self.writer.flush();
    }

    pub fn resize(&self, rows: u16, cols: u16) {
        let _ = self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 });
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // No orphan shells. Closing the master then hangs up whatever the shell started.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// portable-pty reports anyhow errors; keep their text.
fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}
