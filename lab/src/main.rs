use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use swarmlab::headless;
use swarmlab::i18n::Lang;
use swarmlab_engine::sim::ClusterConfig;

/// swarmlab: learn Docker Swarm in your terminal, offline.
///
/// Without a command, opens the lab: a lesson beside one shell per virtual node.
#[derive(Parser)]
#[command(name = "swarmlab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lab: LabArgs,
    /// Open this lesson (its id, e.g. first-swarm) instead of resuming.
    #[arg(long)]
    lesson: Option<String>,
    /// With --lesson: the step to open (1-based); earlier steps are replayed.
    #[arg(long, requires = "lesson")]
    step: Option<usize>,
}

#[derive(Args, Clone)]
struct LabArgs {
    /// Number of virtual nodes.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=9))]
    nodes: u16,
    /// Seed for IDs, tokens and timing.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Language of the lab's own text: fr or en (default: from LANG).
    #[arg(long)]
    lang: Option<String>,
    /// The shell the panes run (default: bash, else sh).
    #[arg(long)]
    shell: Option<PathBuf>,
    /// Put the installed docker CLI first in the panes, instead of swarmlab's.
    #[arg(long)]
    real_docker: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Open a free-play lab without a lesson.
    Play {
        #[command(flatten)]
        lab: LabArgs,
        /// Start with a swarm already formed, with this many managers.
        #[arg(long)]
        managers: Option<u16>,
    },
    /// Play a transcript script (`nodeN$ command` lines) against a simulated swarm.
    Run {
        /// Number of virtual nodes.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=1000))]
        nodes: u16,
        /// Seed for IDs, tokens and timing: the same seed gives the same transcript.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Script file, or `-` for standard input; the bundled example when absent.
        script: Option<String>,
        /// Let the script's commands read and edit files anywhere you can, not only
        /// under the current directory.
        #[arg(long)]
        host_files: bool,
    },
    /// Replay every lesson's solutions headless: each check must fail before its
    /// solution and pass after; French and English must teach the same steps.
    Verify {
        /// Lesson files, course directories (with SUMMARY.md) or `lessons/`.
        #[arg(default_value = "lessons")]
        paths: Vec<PathBuf>,
        /// Only this language's course (en or fr).
        #[arg(long)]
        lang: Option<String>,
        /// Also write a JUnit XML report here.
        #[arg(long)]
        junit: Option<PathBuf>,
    },
    /// Grade a learner's own commands (a transcript script) against a lesson's checks.
    Check {
        /// The lesson file.
        lesson: PathBuf,
        /// The learner's commands, as a transcript script.
        #[arg(long)]
        answers: PathBuf,
        /// Also write a JUnit XML report here.
        #[arg(long)]
        junit: Option<PathBuf>,
    },
    /// Show the learner's progress; --export prints the JSON an instructor collects.
    Progress {
        #[arg(long)]
        export: bool,
    },
    /// mdBook preprocessor for the lessons (used by book.toml).
    #[command(hide = true)]
    Mdbook { args: Vec<String> },
    /// Measure the live lab from the outside: launch to first frame, keystroke to
    /// echo, idle CPU, memory.
    Bench,
    /// Serve every node's Docker API on a unix socket, without a screen, until
    /// interrupted: point any docker client at it with DOCKER_HOST=unix://PATH.
    Daemon {
        /// Number of virtual nodes.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=1000))]
        nodes: u16,
        /// Seed for IDs, tokens and timing.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    let mut args = std::env::args();
    let argv0 = args.next().unwrap_or_default();
    match std::path::Path::new(&argv0).file_name().and_then(|n| n.to_str()) {
        Some("docker") => return swarmlab::shim::docker(&args.collect::<Vec<_>>()),
        Some("hostname") => return swarmlab::shim::hostname(&args.collect::<Vec<_>>()),
        Some("lab") => return swarmlab::shim::lab(&args.collect::<Vec<_>>()),
        _ => {}
    }
    let cli = Cli::parse();
    match cli.command {
        None => live(cli.lab, None, Some((cli.lesson, cli.step))),
        Some(Command::Play { lab, managers }) => {
            let managers = managers.map(|m| usize::from(m.clamp(1, lab.nodes)));
            live(lab, managers, None)
        }
        Some(Command::Run { nodes, seed, script, host_files }) => run_script(nodes, seed, script, host_files),
        Some(Command::Verify { paths, lang, junit }) => {
            swarmlab::lesson::cli::verify_cmd(&paths, lang.as_deref(), junit.as_deref())
        }
        Some(Command::Check { lesson, answers, junit }) => {
            swarmlab::lesson::cli::check_cmd(&lesson, &answers, junit.as_deref())
        }
        Some(Command::Progress { export }) => swarmlab::lesson::cli::progress_cmd(export, Lang::detect(None)),
        Some(Command::Mdbook { args }) => swarmlab::lesson::cli::mdbook_cmd(&args),
        Some(Command::Bench) => match std::env::current_exe().and_then(|exe| swarmlab::bench::run(&exe)) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("swarmlab bench: {e}");
                ExitCode::from(1)
            }
        },
        Some(Command::Daemon { nodes, seed }) => swarmlab::daemon::run_headless(ClusterConfig {
            nodes: usize::from(nodes),
            seed,
            ..ClusterConfig::default()
        }),
    }
}

fn live(args: LabArgs, managers: Option<usize>, lessons: Option<(Option<String>, Option<usize>)>) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("swarmlab: the lab needs a terminal; `swarmlab run SCRIPT` plays a script without one");
        return ExitCode::from(2);
    }
    swarmlab::tui::run(swarmlab::tui::Options {
        config: ClusterConfig { nodes: usize::from(args.nodes), seed: args.seed, ..ClusterConfig::default() },
        managers,
        lang: Lang::detect(args.lang.as_deref()),
        shell: args.shell,
        real_docker: args.real_docker,
        lessons,
    })
}

fn run_script(nodes: u16, seed: u64, script: Option<String>, host_files: bool) -> ExitCode {
    let (source, name) = match script.as_deref() {
        None => (swarmlab::EXAMPLE_SCRIPT.to_string(), "examples/three-node-swarm.sh".to_string()),
        Some("-") => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                eprintln!("swarmlab: cannot read standard input: {e}");
                return ExitCode::from(2);
            }
            (s, "<stdin>".to_string())
        }
        Some(path) => match std::fs::read_to_string(path) {
            Ok(s) => (s, path.to_string()),
            Err(e) => {
                eprintln!("swarmlab: cannot read {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let config = ClusterConfig { nodes: usize::from(nodes), seed, ..ClusterConfig::default() };
    let played = headless::script::parse(&source, &name).map(|steps| {
        let session = headless::Session::new(config);
        let mut session = if host_files { session.with_host_files() } else { session };
        session.play(&steps)
    });
    match played {
        Err(e) => {
            eprintln!("swarmlab: {e}");
            ExitCode::from(2)
        }
        Ok(t) => {
            print!("{}", t.text);
            for f in &t.failures {
                eprintln!("swarmlab: {f}");
            }
            if t.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
    }
}
