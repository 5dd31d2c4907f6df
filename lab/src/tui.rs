//! The live lab: owns the terminal, runs the engine at wall-clock speed behind the
//! node sockets, the routing mesh and one shell per node, and turns events into
//! messages for the model and its effects into actions. Draws only when something
//! changed.

use crate::app::snapshot::snapshot;
use crate::app::{Effect, Intro, Model, Msg, Notice};
use crate::i18n::Lang;
use crate::runtime::RuntimeDir;
use crate::term::pty::{Pty, PtyEvent};
use crate::term::shell::NodeShell;
use crate::world::World;
use crossterm::event::{self, Event, EventStream};
use futures::StreamExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use swarmlab_engine::sim::ClusterConfig;
use tokio::sync::mpsc;

/// Everything `swarmlab` and `swarmlab play` can choose.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: ClusterConfig,
    /// Set up a ready swarm with this many managers (free play).
    pub managers: Option<usize>,
    pub lang: Lang,
    pub shell: Option<PathBuf>,
    /// Put the installed docker CLI first on the panes' PATH.
    pub real_docker: bool,
    /// Teach the bundled lessons (None: free play); optionally open this lesson id and
    /// step (1-based) instead of resuming.
    pub lessons: Option<(Option<String>, Option<usize>)>,
}

/// Pending pty output is batched per wake-up; the channel bounds memory.
const PTY_CHANNEL: usize = 64;
/// How long a lesson's check waits for the cluster to settle after a change.
const CHECK_DEBOUNCE: Duration = Duration::from_millis(150);

pub fn run(opts: Options) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("swarmlab: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(lab(opts));
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("swarmlab: {e}");
            ExitCode::from(1)
        }
    }
}

struct Lab {
    world: Arc<World>,
    shells: Vec<NodeShell>,
    ptys: Vec<Option<Pty>>,
    /// The serial of the shell each pane runs now; `next_serial` numbers the next.
    serials: Vec<u64>,
    next_serial: u64,
    pty_tx: mpsc::Sender<PtyEvent>,
    typing_tx: mpsc::Sender<(usize, Vec<u8>)>,
    progress_path: Option<PathBuf>,
    /// Where the panes start and the lessons' files are.
    workdir: PathBuf,
    /// Where the current step's command history starts.
    since: usize,
    /// The course generation `since` belongs to.
    generation: u64,
}

/// The terminal in the lab's modes (raw, alternate screen, mouse, bracketed paste);
/// put back as it was when dropped, however the lab ends.
struct Screen(ratatui::DefaultTerminal);

impl Screen {
    fn enter() -> Screen {
        let terminal = ratatui::init();
        let _ = crossterm::execute!(std::io::stdout(), event::EnableMouseCapture, event::EnableBracketedPaste);
        Screen(terminal)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), event::DisableMouseCapture, event::DisableBracketedPaste);
        ratatui::restore();
    }
}

async fn lab(opts: Options) -> std::io::Result<()> {
    // Caught from the start: a signal during set-up also ends the lab cleanly.
    let ended = crate::daemon::endings()?;
    let dir = RuntimeDir::create()?;
    let mut bins = Vec::new();
    if opts.real_docker {
        match crate::term::shell::find_on_path("docker") {
            Some(real) => bins.push(dir.install_real_docker(&real)?),
            None => return Err(std::io::Error::other("--real-docker: no docker CLI on PATH")),
        }
    }
    bins.push(dir.install_shims()?);
    let mut config = opts.config.clone();
    let claim = crate::block::claim();
    config.block = claim.block;
    let course = opts.lessons.as_ref().map(|_| crate::lesson::bundled(opts.lang));
    if let Some(lessons) = &course {
        // Every lesson of the course fits: the lab has as many nodes as the biggest needs.
        config.nodes = config.nodes.max(lessons.iter().map(|l| l.nodes.len()).max().unwrap_or(0));
    }
    let world = World::new(config);
    world.set_lang(opts.lang);
    let mut spoken = opts.lang;
    if let Some(managers) = opts.managers {
        crate::setup::ready_swarm(&world, managers).map_err(std::io::Error::other)?;
    }
    tokio::spawn(world.clone().drive());
    let sockets = crate::daemon::spawn_all(&world, dir.path())?;
    let mut mesh = crate::mesh::Mesh::start(world.clone());
    let shell = crate::term::shell::choose(opts.shell.as_deref());
    // A course puts its lessons' files in a directory of its own, and the panes there;
    // the playground starts where the lab was launched.
    let workdir = match &course {
        Some(_) => dir.workdir()?,
        None => std::env::current_dir()?,
    };
    let addrs: Vec<String> = world.cluster().machines().iter().map(|m| m.addr.to_string()).collect();
    let shells: Vec<NodeShell> = sockets
        .iter()
        .zip(addrs)
        .map(|((name, socket), addr)| NodeShell {
            hostname: name.clone(),
            addr,
            block: claim.block,
            socket: socket.clone(),
            runtime: dir.path().to_path_buf(),
            bins: bins.clone(),
            shell: shell.clone(),
            workdir: workdir.clone(),
        })
        .collect();

    let intro = match (&opts.lessons, opts.managers) {
        (Some(_), _) => Intro { title: "welcome-title", body: "welcome-body", args: Vec::new() },
        (None, Some(m)) => Intro {
            title: "play-title",
            body: "play-body",
            args: vec![("nodes", shells.len().to_string()), ("managers", m.to_string())],
        },
        (None, None) => {
            Intro { title: "play-title", body: "play-body-blank", args: vec![("nodes", shells.len().to_string())] }
        }
    };
    let mut screen = Screen::enter();
    // ratatui's hook restores the terminal on any panic; a pane's emulator panic is
    // caught and recovered from, so it must not.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::app::feeding() {
            restore(info);
        }
    }));
    let size = screen.0.size().map(|s| (s.width, s.height)).unwrap_or((80, 24));
    let mut model = Model::new(opts.lang, intro, shells.iter().map(|s| s.hostname.clone()).collect(), size);
    let progress_path = crate::lesson::progress::default_path();
    let mut first_effects = Vec::new();
    if let (Some(lessons), Some((lesson_id, step))) = (course, &opts.lessons) {
        let (progress, loaded) = progress_path
            .as_deref()
            .map(crate::lesson::progress::Progress::load)
            .unwrap_or((Default::default(), crate::lesson::progress::Loaded::Fresh));
        if let crate::lesson::progress::Loaded::Corrupt(aside) = loaded {
            model.notice = Some(Notice::ProgressCorrupt(aside.display().to_string()));
        }
        let resume = progress.current.clone();
        let mut c = crate::app::course::Course::new(lessons, progress);
        let find = |id: &str| c.lessons.iter().position(|l| l.id == id);
        let (l, s) = match (lesson_id, resume) {
            (Some(id), _) => (find(id).unwrap_or(0), step.map_or(0, |s| s.saturating_sub(1))),
            (None, Some(pos)) => (find(&pos.lesson).unwrap_or(0), pos.step),
            (None, None) => (0, 0),
        };
        c.open(l, s);
        model.course = Some(c);
        model.focus = crate::app::layout::Focus::Node(0);
        first_effects = vec![Effect::Open(l, s), Effect::SaveProgress];
    }
    let (pty_tx, mut pty_rx) = mpsc::channel(PTY_CHANNEL);
    let (typing_tx, mut typing_rx) = mpsc::channel::<(usize, Vec<u8>)>(16);
    let mut lab = Lab {
        world: world.clone(),
        shells,
        ptys: Vec::new(),
        serials: Vec::new(),
        next_serial: 0,
        pty_tx,
        typing_tx,
        progress_path,
        workdir,
        since: 0,
        generation: u64::MAX,
    };
    let (rows, cols) = model.layout().pty_size;
    for i in 0..lab.shells.len() {
        let pty = lab.spawn(i, rows, cols);
        lab.ptys.push(pty);
    }
    let mut events = EventStream::new();
    let mut changes = world.subscribe();
    let mut moved = mesh.moved();
    let mut ended = std::pin::pin!(ended);
    model.update(Msg::Cluster(world.read(snapshot)));
    for e in first_effects {
        if let Some(m) = lab.perform(e, &model) {
            model.update(m);
        }
    }
    let mut dirty = true;
    let mut check_due: Option<tokio::time::Instant> = None;
    while !model.quit {
        if dirty {
            screen.0.draw(|f| crate::ui::draw(f, &model))?;
            dirty = false;
        }
        let msgs: Vec<Msg> = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => vec![Msg::Key(k)],
                Some(Ok(Event::Mouse(m))) => vec![Msg::Mouse(m)],
                Some(Ok(Event::Paste(p))) => vec![Msg::Paste(p)],
                Some(Ok(Event::Resize(w, h))) => vec![Msg::Resize(w, h)],
                Some(Ok(_)) => Vec::new(),
                Some(Err(_)) | None => break,
            },
            Some(first) = pty_rx.recv() => {
                let mut batch = vec![first];
                while let Ok(more) = pty_rx.try_recv() {
                    batch.push(more);
                }
                batch.into_iter().filter_map(|e| match e {
                    PtyEvent::Output(i, serial, b) => lab.current(i, serial).then_some(Msg::PtyOutput(i, b)),
                    PtyEvent::Exited(i, serial) => lab.current(i, serial).then_some(Msg::PtyExited(i)),
                }).collect()
            }
            Ok(()) = changes.changed() => {
                let mut out = Vec::new();
                let s = world.read(snapshot);
                if s != model.cluster {
                    out.push(Msg::Cluster(s));
                }
                // `lab speed` in a pane changes it behind the keys' back.
                let speed = world.speed();
                if speed != model.speed {
                    out.push(Msg::Speed(speed));
                }
                // Debounced: a burst of changes (a rolling update) costs one check.
                if model.course.is_some() && check_due.is_none() {
                    check_due = Some(tokio::time::Instant::now() + CHECK_DEBOUNCE);
                }
                out
            }
            Some(m) = moved.recv() => vec![Msg::Notice(Notice::Port { port: m.port, addr: m.addr, alt: m.alt })],
            _ = tokio::time::sleep_until(check_due.unwrap_or_else(tokio::time::Instant::now)), if check_due.is_some() => {
                check_due = None;
                lab.check(&model).into_iter().collect()
            }
            Some((pane, bytes)) = typing_rx.recv() => {
                if let Some(Some(p)) = lab.ptys.get_mut(pane) {
                    p.write(&bytes);
                }
                Vec::new()
            }
            () = &mut ended => break,
        };
        for msg in msgs {
            let typed = matches!(msg, Msg::Key(_));
            let mut effects = model.update(msg);
            // A key that only goes to a shell changes nothing on screen until the echo
            // comes back; drawing now would only delay drawing the echo.
            let only_writes = !effects.is_empty() && effects.iter().all(|e| matches!(e, Effect::Write(..)));
            dirty |= !(typed && only_writes);
            while !effects.is_empty() {
                let mut more = Vec::new();
                for e in std::mem::take(&mut effects) {
                    if let Some(m) = lab.perform(e, &model) {
                        more.extend(model.update(m));
                    }
                }
                effects = more;
            }
        }
        if model.texts.lang != spoken {
            spoken = model.texts.lang;
            world.set_lang(spoken);
        }
    }
    drop(screen);
    drop(lab);
    drop(mesh);
    drop(dir);
    Ok(())
}

impl Lab {
    fn spawn(&mut self, i: usize, rows: u16, cols: u16) -> Option<Pty> {
        let cmd = self.shells[i].command().ok()?;
        self.next_serial += 1;
        if self.serials.len() <= i {
            self.serials.resize(i + 1, 0);
        }
        self.serials[i] = self.next_serial;
        Pty::spawn(i, self.next_serial, cmd, rows, cols, self.pty_tx.clone()).ok()
    }

    /// Is this event from the shell pane `i` runs now (not one it replaced)?
    fn current(&self, i: usize, serial: u64) -> bool {
        self.serials.get(i) == Some(&serial)
    }

    /// Evaluates the current step's check, counting commands since the step opened.
    fn check(&mut self, model: &Model) -> Option<Msg> {
        let generation = model.course.as_ref()?.generation;
        if generation != self.generation {
            self.generation = generation;
            self.since = self.world.history_since(usize::MAX).1;
        }
        crate::coach::check(&self.world, model, self.since)
    }

    /// Carries out one effect; some answer with a message for the model.
    fn perform(&mut self, e: Effect, model: &Model) -> Option<Msg> {
        let node_name = |i: usize| self.shells.get(i).map(|s| s.hostname.clone()).unwrap_or_default();
        match e {
            Effect::Write(i, bytes) => {
                if let Some(Some(p)) = self.ptys.get_mut(i) {
                    p.write(&bytes);
                }
                None
            }
            Effect::Resize(i, rows, cols) => {
                if let Some(Some(p)) = self.ptys.get(i) {
                    p.resize(rows, cols);
                }
                None
            }
            Effect::Respawn(i, rows, cols) => {
                let pty = self.spawn(i, rows, cols);
                if let Some(slot) = self.ptys.get_mut(i) {
                    *slot = pty;
                }
                None
            }
            Effect::SetSpeed(s) => {
                self.world.set_speed(s);
                Some(Msg::Speed(s))
            }
            Effect::SkipAhead => {
                let before = self.world.read(|c| c.now());
                self.world.skip_ahead();
                let secs = self.world.read(|c| c.now()).since(before).as_secs();
                Some(Msg::Notice(Notice::Skipped(secs)))
            }
            Effect::Power(i, on) => {
                let mut c = self.world.cluster();
                if on {
                    c.power_on(i)
                } else {
                    c.power_off(i)
                }
                Some(Msg::Notice(Notice::Power(node_name(i), on)))
            }
            Effect::Connect(i, connected) => {
                let mut c = self.world.cluster();
                if connected {
                    c.reconnect(i)
                } else {
                    c.disconnect(i)
                }
                Some(Msg::Notice(Notice::Network(node_name(i), connected)))
            }
            Effect::Crash(i) => {
                let mut c = self.world.cluster();
                let victim = c.machines().get(i).and_then(|m| {
                    let mut names: Vec<&String> =
                        m.agent.containers.values().filter(|c| c.running()).map(|c| &c.name).collect();
                    names.sort();
                    names.first().map(|n| n.to_string())
                });
                let crashed = victim.and_then(|v| c.crash(i, &v).ok());
                Some(Msg::Notice(match crashed {
                    Some(name) => Notice::Crashed(name),
                    None => Notice::NothingToCrash(node_name(i)),
                }))
            }
            Effect::Reset => {
                self.world.reset();
                None
            }
            Effect::Type(pane, lines) => {
                crate::coach::type_lines(self.typing_tx.clone(), pane, lines);
                None
            }
            Effect::Open(l, s) => {
                let lesson = model.course.as_ref()?.lessons.get(l)?;
                let result = crate::coach::fast_forward(&self.world, lesson, s, &self.workdir);
                // The step starts now: commands typed before it do not count.
                self.generation = u64::MAX;
                match result {
                    Ok(()) => self.check(model),
                    Err(e) => Some(Msg::Notice(Notice::LessonError(e))),
                }
            }
            Effect::Recheck => self.check(model),
            Effect::SaveProgress => {
                let (path, course) = (self.progress_path.as_ref()?, model.course.as_ref()?);
                course.progress.save(path).err().map(|e| Msg::Notice(Notice::ProgressUnsaved(e.to_string())))
            }
            Effect::Copy(text) => {
                // OSC 52: the terminal puts the text on the system clipboard, over ssh too.
                use base64::Engine;
                use std::io::Write;
                let encoded = base64::engine::general_purpose::STANDARD.encode(text);
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{encoded}\x07");
                let _ = out.flush();
                None
            }
            Effect::Quit => None,
        }
    }
}
