//! The `lab` command: what a learner, a lesson or a script can do to the simulated
//! world beyond docker: power nodes off and on, cut them off the network, crash a
//! container, break an image, change the speed of time, reset everything. Parsed
//! here once; headless scripts and the live lab (through a node's socket) apply it.

use crate::i18n::Texts;
use swarmlab_engine::agent::images::Fault;
use swarmlab_engine::sim::Cluster;

/// Something `lab` says, worded in the lab's language when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Said {
    fn new(key: &'static str) -> Said {
        Said { key, args: Vec::new() }
    }

    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Said {
        self.args.push((name, value.into()));
        self
    }

    /// The text, one line (or the help) ending in a newline.
    pub fn text(&self, t: &Texts) -> String {
        if self.key == HELP {
            return t.lab_help().to_string();
        }
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("{}\n", t.args(self.key, &args))
    }
}

/// `lab help`'s key: the help is a text of its own per language.
const HELP: &str = "lab-help";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Image { image: String, fault: Option<Fault> },
    Power { node: String, on: bool },
    Network { node: String, connected: bool },
    Partition { nodes: Vec<String> },
    Heal,
    Crash { container: String, node: Option<String> },
    Speed(crate::clock::Speed),
    Skip,
    Reset,
    Help,
}

pub fn parse(args: &[String]) -> Result<Action, Said> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let node = |n: &str| n.to_string();
    Ok(match a.as_slice() {
        [] | ["help" | "--help" | "-h"] => Action::Help,
        ["image", what, image, rest @ ..] if rest.len() <= 1 => {
            let fault = match *what {
                "missing" => Some(Fault::Missing),
                "crash" => {
                    let code = match rest.first() {
                        Some(c) => c.parse().map_err(|_| Said::new("lab-bad-exit-code").arg("code", *c))?,
                        None => 1,
                    };
                    Some(Fault::Crash(code))
                }
                "ok" => None,
                other => return Err(Said::new("lab-bad-image-state").arg("state", other.to_string())),
            };
            Action::Image { image: image.to_string(), fault }
        }
        ["node", "off", n] => Action::Power { node: node(n), on: false },
        ["node", "on", n] => Action::Power { node: node(n), on: true },
        ["node", "disconnect", n] => Action::Network { node: node(n), connected: false },
        ["node", "reconnect", n] => Action::Network { node: node(n), connected: true },
        ["node", "off" | "on" | "disconnect" | "reconnect"] => {
            return Err(Said::new("lab-which-node").arg("action", a[1]));
        }
        ["node", other, ..] if !matches!(*other, "off" | "on" | "disconnect" | "reconnect") => {
            return Err(Said::new("lab-bad-node-action").arg("action", *other));
        }
        ["partition", nodes @ ..] if !nodes.is_empty() => {
            Action::Partition { nodes: nodes.iter().map(|n| node(n)).collect() }
        }
        ["heal"] => Action::Heal,
        ["crash", c] => Action::Crash { container: c.to_string(), node: None },
        ["crash", c, n] => Action::Crash { container: c.to_string(), node: Some(node(n)) },
        ["speed", s] => Action::Speed(match *s {
            "pause" | "paused" | "0" | "0x" => crate::clock::Speed::Paused,
            "1" | "1x" => crate::clock::Speed::Times(1),
            "10" | "10x" => crate::clock::Speed::Times(10),
            other => return Err(Said::new("lab-bad-speed").arg("speed", other.to_string())),
        }),
        ["skip"] => Action::Skip,
        ["reset"] => Action::Reset,
        [first, ..] => return Err(Said::new("lab-unknown").arg("command", *first)),
    })
}

/// What applying an action came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Done to the cluster; this says what.
    Done(Said),
    /// Speed, skip and reset belong to whoever runs the clock: handed back to it
    /// (`done` then says what it did).
    ForTheClock(Clock),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Speed(crate::clock::Speed),
    Skip,
    Reset,
}

/// Applies an action that only touches the cluster, or hands it to the clock.
pub fn apply(cluster: &mut Cluster, action: &Action) -> Result<Applied, Said> {
    let index = |c: &Cluster, n: &str| c.machine_index(n).ok_or_else(|| Said::new("lab-no-node").arg("node", n));
    match action {
        Action::Help => Ok(Applied::Done(Said::new(HELP))),
        Action::Image { image, fault } => {
            cluster.registry.set_fault(image, *fault);
            Ok(Applied::Done(match fault {
                Some(Fault::Missing) => Said::new("lab-image-missing").arg("image", image),
                Some(Fault::Crash(code)) => {
                    Said::new("lab-image-crash").arg("image", image).arg("code", code.to_string())
                }
                None => Said::new("lab-image-ok").arg("image", image),
            }))
        }
        Action::Power { node, on } => {
            let i = index(cluster, node)?;
            if *on {
                cluster.power_on(i);
                Ok(Applied::Done(Said::new("lab-powered-on").arg("node", node)))
            } else {
                cluster.power_off(i);
                Ok(Applied::Done(Said::new("lab-powered-off").arg("node", node)))
            }
        }
        Action::Network { node, connected } => {
            let i = index(cluster, node)?;
            if *connected {
                cluster.reconnect(i);
                Ok(Applied::Done(Said::new("lab-reconnected").arg("node", node)))
            } else {
                cluster.disconnect(i);
                Ok(Applied::Done(Said::new("lab-disconnected").arg("node", node)))
            }
        }
        Action::Partition { nodes } => {
            let side = nodes.iter().map(|n| index(cluster, n)).collect::<Result<Vec<_>, _>>()?;
            cluster.partition(&side);
            let others: Vec<String> = (0..cluster.machines().len())
                .filter(|i| !side.contains(i))
                .map(|i| cluster.machines()[i].hostname.clone())
                .collect();
            Ok(Applied::Done(Said::new("lab-split").arg("side", nodes.join(" ")).arg("others", others.join(" "))))
        }
        Action::Heal => {
            cluster.heal();
            Ok(Applied::Done(Said::new("lab-healed")))
        }
        Action::Crash { container, node } => {
            let candidates: Vec<usize> = match node {
                Some(n) => vec![index(cluster, n)?],
                None => (0..cluster.machines().len()).collect(),
            };
            for i in candidates {
                let on = cluster.machines()[i].hostname.clone();
                match cluster.crash(i, container) {
                    Ok(name) => return Ok(Applied::Done(Said::new("lab-crashed").arg("container", name))),
                    Err(e) if e.contains("several") => {
                        return Err(Said::new("lab-crash-several").arg("container", container).arg("node", on));
                    }
                    Err(_) if node.is_some() => {
                        return Err(Said::new("lab-crash-none-on").arg("container", container).arg("node", on));
                    }
                    Err(_) => {}
                }
            }
            Err(Said::new("lab-crash-none").arg("container", container))
        }
        Action::Speed(s) => Ok(Applied::ForTheClock(Clock::Speed(*s))),
        Action::Skip => Ok(Applied::ForTheClock(Clock::Skip)),
        Action::Reset => Ok(Applied::ForTheClock(Clock::Reset)),
    }
}

/// What the clock's owner says once it has done a speed, skip or reset.
pub fn done(clock: Clock) -> Said {
    match clock {
        Clock::Speed(crate::clock::Speed::Paused) => Said::new("lab-paused"),
        Clock::Speed(crate::clock::Speed::Times(n)) => Said::new("lab-speed").arg("speed", format!("{n}x")),
        Clock::Skip => Said::new("lab-skipped"),
        Clock::Reset => Said::new("lab-reset"),
    }
}

/// Refused outside the live lab: headless runs own no clock to change.
pub fn live_only() -> Said {
    Said::new("lab-live-only")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Speed;

    fn p(s: &str) -> Result<Action, Said> {
        parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    fn en(s: Said) -> String {
        s.text(&Texts::new(crate::i18n::Lang::En))
    }

    #[test]
    fn parses_every_command_and_refuses_the_rest() {
        assert_eq!(p("node off node2"), Ok(Action::Power { node: "node2".into(), on: false }));
        assert_eq!(p("node disconnect node3"), Ok(Action::Network { node: "node3".into(), connected: false }));
        assert_eq!(p("partition node1 node2"), Ok(Action::Partition { nodes: vec!["node1".into(), "node2".into()] }));
        assert_eq!(p("heal"), Ok(Action::Heal));
        assert!(p("partition").is_err());
        assert_eq!(
            p("image crash nginx:bad 3"),
            Ok(Action::Image { image: "nginx:bad".into(), fault: Some(Fault::Crash(3)) })
        );
        assert_eq!(p("speed 10x"), Ok(Action::Speed(Speed::Times(10))));
        assert_eq!(p("crash web.1"), Ok(Action::Crash { container: "web.1".into(), node: None }));
        assert_eq!(p(""), Ok(Action::Help));
        assert!(p("image crash nginx x").is_err());
        assert!(p("speed 3x").is_err());
        assert!(en(p("frobnicate").unwrap_err()).contains("lab help"));
        assert_eq!(
            en(p("node of node2").unwrap_err()),
            "unknown node action \"of\": off, on, disconnect or reconnect\n"
        );
        assert_eq!(en(p("node off").unwrap_err()), "which node? lab node off NODE\n");
        let fr = Texts::new(crate::i18n::Lang::Fr);
        assert_eq!(
            p("node of node2").unwrap_err().text(&fr),
            "action inconnue « of » : off, on, disconnect ou reconnect\n"
        );
    }

    #[test]
    fn every_change_says_what_it_did() {
        let mut c = Cluster::new(swarmlab_engine::sim::ClusterConfig::default());
        let said = |c: &mut Cluster, s: &str| match apply(c, &p(s).unwrap()).unwrap() {
            Applied::Done(said) => en(said),
            Applied::ForTheClock(_) => String::new(),
        };
        assert_eq!(said(&mut c, "node off node1"), "node1: powered off (lab node on node1 brings it back)\n");
        assert_eq!(said(&mut c, "node on node1"), "node1: powered on\n");
        assert!(said(&mut c, "node disconnect node2").starts_with("node2: cut off the network"));
        assert_eq!(said(&mut c, "partition node1"), "network split: node1 | node2 node3 (lab heal mends it)\n");
        assert!(said(&mut c, "heal").starts_with("network mended"));
        assert_eq!(
            said(&mut c, "image crash nginx:bad 3"),
            "image nginx:bad: its containers now exit with 3 on start\n"
        );
        assert_eq!(
            en(apply(&mut c, &p("node off node9").unwrap()).unwrap_err()),
            "there is no node \"node9\" in this lab\n"
        );
        let fr = Texts::new(crate::i18n::Lang::Fr);
        let Ok(Applied::Done(off)) = apply(&mut c, &p("node off node2").unwrap()) else { panic!("powered off") };
        assert_eq!(off.text(&fr), "node2 : éteint (lab node on node2 le rallume)\n");
        let Ok(Applied::Done(help)) = apply(&mut c, &p("help").unwrap()) else { panic!("help") };
        assert!(help.text(&fr).starts_with("Usage :  lab COMMANDE"));
        assert_eq!(apply(&mut c, &p("skip").unwrap()), Ok(Applied::ForTheClock(Clock::Skip)));
        assert_eq!(
            en(apply(&mut c, &p("crash nope node1").unwrap()).unwrap_err()),
            "no running container nope on node1\n"
        );
        assert_eq!(en(done(Clock::Speed(Speed::Times(10)))), "virtual time runs at 10x\n");
    }
}
