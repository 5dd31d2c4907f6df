//! The lab's clock: how fast virtual time runs against the wall clock, and where it
//! stands. The world reads it before every use of the engine.

use std::time::{Duration, Instant};
use swarmlab_engine::time::Timestamp;

/// How far "skip ahead until idle" goes at most: a service restarting forever never
/// lets the cluster be idle.
pub const SKIP_LIMIT: Duration = Duration::from_secs(600);

/// How fast virtual time runs against the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Paused,
    /// Times faster than the wall clock (1 or 10 in the lab's controls).
    Times(u32),
}

impl Speed {
    fn factor(self) -> u32 {
        match self {
            Speed::Paused => 0,
            Speed::Times(n) => n,
        }
    }
}

pub(crate) struct Clock {
    pub(crate) speed: Speed,
    pub(crate) wall: Instant,
    pub(crate) virt: Timestamp,
}

impl Clock {
    pub(crate) fn now(&self) -> Timestamp {
        self.virt.plus(self.wall.elapsed() * self.speed.factor())
    }

    /// Wall time until virtual time reaches `at`; None while paused.
    pub(crate) fn until(&self, at: Timestamp) -> Option<Duration> {
        let f = self.speed.factor();
        (f > 0).then(|| at.since(self.now()) / f)
    }
}
