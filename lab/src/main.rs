use clap::{Parser, Subcommand};
use std::io::Read;
use std::process::ExitCode;
use swarmlab::headless;
use swarmlab_engine::sim::ClusterConfig;

/// swarmlab: learn Docker Swarm in your terminal, offline.
#[derive(Parser)]
#[command(name = "swarmlab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
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
    },
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
    let (nodes, seed, script) = match cli.command {
        Some(Command::Run { nodes, seed, script }) => (nodes, seed, script),
        Some(Command::Daemon { nodes, seed }) => {
            let config = ClusterConfig { nodes: usize::from(nodes), seed, ..ClusterConfig::default() };
            return swarmlab::daemon::run_headless(config);
        }
        None => (3, 1, None),
    };
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
    match headless::run_script(&source, &name, config) {
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
