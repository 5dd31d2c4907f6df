//! The engine shared by the lab's daemons, routing mesh and screen, run at wall-clock
//! speed. The engine itself never reads a clock: before every use the world moves its
//! virtual time up to "now", scaled by the chosen speed.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use swarmlab_engine::sim::{Cluster, ClusterConfig};
use swarmlab_engine::time::Timestamp;
use tokio::sync::{Notify, watch};

use crate::clock::Clock;
use crate::clock::{SKIP_LIMIT, Speed};

struct State {
    cluster: Cluster,
    clock: Clock,
    /// What a reset starts again from.
    config: ClusterConfig,
}

/// The running engine. Cheap to share: wrap it in an `Arc`.
pub struct World {
    state: Mutex<State>,
    /// Every docker command run from a pane, with its node, for checks like "ran".
    history: Mutex<Vec<(String, String)>>,
    /// Wakes the driver when a request may have scheduled new events.
    wake: Notify,
    /// Bumped whenever cluster state may have changed, for redraws and checks.
    changed: watch::Sender<u64>,
    /// The language the lab speaks now (F9 changes it), for what `lab` says in a pane.
    lang: Mutex<crate::i18n::Lang>,
}

/// Access to the cluster, its virtual time brought up to date.
pub struct Guard<'a> {
    state: MutexGuard<'a, State>,
    world: &'a World,
}

impl std::ops::Deref for Guard<'_> {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        &self.state.cluster
    }
}

impl std::ops::DerefMut for Guard<'_> {
    fn deref_mut(&mut self) -> &mut Cluster {
        &mut self.state.cluster
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        self.world.changed.send_modify(|n| *n += 1);
        self.world.wake.notify_one();
    }
}

impl World {
    /// A fresh cluster whose virtual time starts at the wall clock's "now", so that
    /// "Running 5 seconds ago" reads true in the panes.
    pub fn new(mut config: ClusterConfig) -> Arc<World> {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        config.epoch = Timestamp(i64::try_from(since_epoch.as_nanos()).unwrap_or(i64::MAX));
        Self::at(config, Speed::Times(1))
    }

    /// A fresh cluster starting at the configured virtual time, at `speed` (paused,
    /// stepped with `skip_ahead`, for reproducible runs).
    pub fn at(config: ClusterConfig, speed: Speed) -> Arc<World> {
        let cluster = Cluster::new(config.clone());
        let clock = Clock { speed, wall: Instant::now(), virt: cluster.now() };
        Arc::new(World {
            state: Mutex::new(State { cluster, clock, config }),
            history: Mutex::new(Vec::new()),
            wake: Notify::new(),
            changed: watch::channel(0).0,
            lang: Mutex::new(crate::i18n::Lang::En),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock must not take the lab down with it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cluster at the current virtual time.
    pub fn cluster(&self) -> Guard<'_> {
        let mut state = self.lock();
        catch_up(&mut state);
        Guard { state, world: self }
    }

    /// Reads the cluster as it stands, without moving time or announcing a change.
    pub fn read<R>(&self, f: impl FnOnce(&Cluster) -> R) -> R {
        f(&self.lock().cluster)
    }

    /// Runs `f` on the cluster without announcing a change: for reads that need the
    /// docker command line (a lesson's check), which would otherwise wake themselves.
    pub fn quiet<R>(&self, f: impl FnOnce(&mut Cluster) -> R) -> R {
        let mut state = self.lock();
        catch_up(&mut state);
        f(&mut state.cluster)
    }

    /// Replaces the cluster by what `f` makes of it (fast-forwarding a lesson).
    pub fn replace(&self, f: impl FnOnce(Cluster) -> Cluster) {
        let mut g = self.cluster();
        let config = g.state.config.clone();
        let old = std::mem::replace(&mut g.state.cluster, Cluster::new(ClusterConfig { nodes: 0, ..config }));
        g.state.cluster = f(old);
        let virt = g.state.cluster.now();
        g.state.clock.virt = virt;
        g.state.clock.wall = Instant::now();
    }

    /// A fresh cluster like the first one, its clock going on from now.
    pub fn fresh_cluster(&self) -> Cluster {
        let state = self.lock();
        let mut config = state.config.clone();
        config.epoch = state.cluster.now();
        Cluster::new(config)
    }

    /// Records a command a pane ran, and announces it.
    pub fn record(&self, node: &str, command: &str) {
        self.history.lock().unwrap_or_else(|p| p.into_inner()).push((node.to_string(), command.to_string()));
        self.changed.send_modify(|n| *n += 1);
    }

    /// The commands run since position `since`, and the current length.
    pub fn history_since(&self, since: usize) -> (Vec<(String, String)>, usize) {
        let h = self.history.lock().unwrap_or_else(|p| p.into_inner());
        (h[since.min(h.len())..].to_vec(), h.len())
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_lang(&self, lang: crate::i18n::Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }

    pub fn speed(&self) -> Speed {
        self.lock().clock.speed
    }

    pub fn set_speed(&self, speed: Speed) {
        let mut state = self.lock();
        catch_up(&mut state);
        let virt = state.cluster.now();
        state.clock = Clock { speed, wall: Instant::now(), virt };
        drop(state);
        self.wake.notify_one();
    }

    /// Runs pending events now ("skip ahead until idle", at most SKIP_LIMIT of virtual
    /// time), then goes on from there.
    pub fn skip_ahead(&self) {
        let mut g = self.cluster();
        g.run_until_idle_within(SKIP_LIMIT);
        let virt = g.now();
        g.state.clock.virt = virt;
        g.state.clock.wall = Instant::now();
    }

    /// Starts again from a fresh cluster (same nodes and seed), virtual time going on
    /// from now.
    pub fn reset(&self) {
        let mut g = self.cluster();
        let mut config = g.state.config.clone();
        config.epoch = g.now();
        g.state.cluster = Cluster::new(config);
    }

    /// A receiver that sees a new number whenever the cluster may have changed.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Runs the engine's timed events as their virtual time comes; never returns.
    pub async fn drive(self: Arc<Self>) {
        loop {
            let wait = {
                let state = self.lock();
                state.cluster.next_event_at().and_then(|at| state.clock.until(at))
            };
            match wait {
                Some(d) => {
                    tokio::select! {
                        _ = tokio::time::sleep(d) => {}
                        _ = self.wake.notified() => {}
                    }
                }
                None => self.wake.notified().await,
            }
            let due = {
                let state = self.lock();
                let now = state.clock.now();
                state.cluster.next_event_at().is_some_and(|at| at <= now)
            };
            if due {
                // Dropping the guard announces the change.
                drop(self.cluster());
            }
        }
    }
}

fn catch_up(state: &mut State) {
    let target = state.clock.now();
    let now = state.cluster.now();
    if target > now {
        state.cluster.advance(target.since(now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn virtual_time_follows_the_wall_clock_at_the_chosen_speed() {
        let world = World::new(ClusterConfig::default());
        let t0 = world.cluster().now();
        world.set_speed(Speed::Paused);
        let paused_at = world.cluster().now();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(world.cluster().now(), paused_at);
        world.set_speed(Speed::Times(10));
        std::thread::sleep(Duration::from_millis(20));
        assert!(world.cluster().now().since(paused_at) >= Duration::from_millis(200));
        assert!(paused_at >= t0);
    }

    #[test]
    fn skipping_ahead_runs_pending_events() {
        let world = World::at(ClusterConfig::default(), Speed::Paused);
        let docker = |args: &str| swarmlab_engine::docker(&mut world.cluster(), 0, args).stdout;
        docker("swarm init");
        docker("service create -d --name web nginx");
        assert!(world.cluster().next_event_at().is_some(), "the image pull is under way");
        assert!(docker("service ls").contains(" 0/1 "));
        world.skip_ahead();
        assert!(docker("service ls").contains(" 1/1 "), "{}", docker("service ls"));
        assert_eq!(world.speed(), Speed::Paused);
    }
}
