//! One-line messages in the status bar, worded in the current language when drawn.

use crate::clock::Speed;
use crate::i18n::Texts;

/// A one-line message in the status bar, worded in the current language when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Speed(Speed),
    Skipped(u64),
    Power(String, bool),
    /// A key for a node that is powered off.
    PoweredOff(String),
    Network(String, bool),
    Port {
        port: u16,
        addr: String,
        alt: u16,
    },
    Crashed(String),
    NothingToCrash(String),
    StepDone,
    /// Passed, the step stays for the learner to finish reading.
    StepPassed,
    LessonDone,
    /// The step (1-based), or the whole lesson, started again on a fresh cluster.
    Restarted(Option<usize>),
    /// So many characters copied from a pane.
    Copied(usize),
    ProgressCorrupt(String),
    ProgressUnsaved(String),
    LessonError(String),
    ConfirmReset,
    Reset,
}

impl Notice {
    pub fn text(&self, t: &Texts) -> String {
        match self {
            Notice::Speed(s) => {
                let speed = match s {
                    Speed::Paused => t.get("speed-paused"),
                    Speed::Times(n) => format!("{n}x"),
                };
                t.args("notice-speed", &[("speed", &speed)])
            }
            Notice::Skipped(secs) => t.args("notice-skip", &[("seconds", &secs.to_string())]),
            Notice::Power(node, on) => {
                t.args(if *on { "notice-power-on" } else { "notice-power-off" }, &[("node", node)])
            }
            Notice::PoweredOff(node) => t.args("notice-powered-off", &[("node", node)]),
            Notice::Network(node, on) => {
                t.args(if *on { "notice-reconnect" } else { "notice-disconnect" }, &[("node", node)])
            }
            Notice::Crashed(name) => t.args("notice-crashed", &[("container", name)]),
            Notice::NothingToCrash(node) => t.args("notice-nothing-to-crash", &[("node", node)]),
            Notice::ConfirmReset => t.get("notice-confirm-reset"),
            Notice::StepDone => t.get("notice-step-done"),
            Notice::StepPassed => t.get("notice-step-passed"),
            Notice::LessonDone => t.get("notice-lesson-done"),
            Notice::Restarted(Some(step)) => t.args("notice-step-restarted", &[("step", &step.to_string())]),
            Notice::Restarted(None) => t.get("notice-lesson-restarted"),
            Notice::Copied(n) => t.args("notice-copied", &[("count", &n.to_string())]),
            Notice::ProgressCorrupt(path) => t.args("notice-progress-corrupt", &[("path", path)]),
            Notice::ProgressUnsaved(e) => t.args("notice-progress-unsaved", &[("error", e)]),
            Notice::LessonError(e) => t.args("notice-lesson-error", &[("error", e)]),
            Notice::Reset => t.get("notice-reset"),
            Notice::Port { port, addr, alt } => {
                t.args("notice-port", &[("port", &port.to_string()), ("addr", addr), ("alt", &alt.to_string())])
            }
        }
    }
}
