//! The `lab` command: what a learner, a lesson or a script can do to the simulated
//! world beyond docker: power nodes off and on, cut them off the network, crash a
//! container, break an image, change the speed of time, reset everything. Parsed
//! here once; headless scripts and the live lab (through a node's socket) apply it.

use swarmlab_engine::agent::images::Fault;
use swarmlab_engine::sim::Cluster;

pub const USAGE: &str = "\
Usage:  lab COMMAND

Change the simulated world.

Commands:
  node off|on NODE               Power a node off, or on again
  node disconnect|reconnect NODE Cut a node off the network, or bring it back
  partition NODE...              Split the network in two: these nodes, and the others
  heal                           Mend a partition
  crash CONTAINER [NODE]         Kill a running container (name, ID prefix, or task like web.1)
  image missing|crash|ok IMAGE [EXIT_CODE]
                                 Make an image missing, crash on start, or work again
  speed pause|1x|10x             Speed of virtual time (live lab only)
  skip                           Skip ahead until the cluster is idle
  reset                          Start again from a fresh cluster (live lab only)
  help                           Show this help
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Image { image: String, fault: Option<Fault> },
    Power { node: String, on: bool },
    Network { node: String, connected: bool },
    Partition { nodes: Vec<String> },
    Heal,
    Crash { container: String, node: Option<String> },
    Speed(crate::world::Speed),
    Skip,
    Reset,
    Help,
}

pub fn parse(args: &[String]) -> Result<Action, String> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let node = |n: &str| n.to_string();
    Ok(match a.as_slice() {
        [] | ["help" | "--help" | "-h"] => Action::Help,
        ["image", what, image, rest @ ..] if rest.len() <= 1 => {
            let fault = match *what {
                "missing" => Some(Fault::Missing),
                "crash" => {
                    let code = match rest.first() {
                        Some(c) => c.parse().map_err(|_| format!("invalid exit code {c:?}"))?,
                        None => 1,
                    };
                    Some(Fault::Crash(code))
                }
                "ok" => None,
                other => return Err(format!("unknown image state {other:?}: missing, crash or ok")),
            };
            Action::Image { image: image.to_string(), fault }
        }
        ["node", "off", n] => Action::Power { node: node(n), on: false },
        ["node", "on", n] => Action::Power { node: node(n), on: true },
        ["node", "disconnect", n] => Action::Network { node: node(n), connected: false },
        ["node", "reconnect", n] => Action::Network { node: node(n), connected: true },
        ["node", "off" | "on" | "disconnect" | "reconnect"] => {
            return Err(format!("which node? lab node {} NODE", a[1]));
        }
        ["node", other, ..] if !matches!(*other, "off" | "on" | "disconnect" | "reconnect") => {
            return Err(format!("unknown node action {other:?}: off, on, disconnect or reconnect"));
        }
        ["partition", nodes @ ..] if !nodes.is_empty() => {
            Action::Partition { nodes: nodes.iter().map(|n| node(n)).collect() }
        }
        ["heal"] => Action::Heal,
        ["crash", c] => Action::Crash { container: c.to_string(), node: None },
        ["crash", c, n] => Action::Crash { container: c.to_string(), node: Some(node(n)) },
        ["speed", s] => Action::Speed(match *s {
            "pause" | "paused" | "0" | "0x" => crate::world::Speed::Paused,
            "1" | "1x" => crate::world::Speed::Times(1),
            "10" | "10x" => crate::world::Speed::Times(10),
            other => return Err(format!("unknown speed {other:?}: pause, 1x or 10x")),
        }),
        ["skip"] => Action::Skip,
        ["reset"] => Action::Reset,
        [first, ..] => return Err(format!("unknown command {first:?}; see 'lab help'")),
    })
}

/// Applies an action that only touches the cluster; returns what to print.
/// Speed, skip and reset belong to whoever runs the clock: `Ok(None)` hands them back.
pub fn apply(cluster: &mut Cluster, action: &Action) -> Result<Option<String>, String> {
    let index = |c: &Cluster, n: &str| c.machine_index(n).ok_or_else(|| format!("there is no node {n:?} in this lab"));
    match action {
        Action::Help => Ok(Some(USAGE.to_string())),
        Action::Image { image, fault } => {
            cluster.registry.set_fault(image, *fault);
            Ok(Some(match fault {
                Some(Fault::Missing) => format!("image {image}: now missing from the registry\n"),
                Some(Fault::Crash(code)) => format!("image {image}: its containers now exit with {code} on start\n"),
                None => format!("image {image}: works again\n"),
            }))
        }
        Action::Power { node, on } => {
            let i = index(cluster, node)?;
            if *on {
                cluster.power_on(i);
                Ok(Some(format!("{node}: powered on\n")))
            } else {
                cluster.power_off(i);
                Ok(Some(format!("{node}: powered off (lab node on {node} brings it back)\n")))
            }
        }
        Action::Network { node, connected } => {
            let i = index(cluster, node)?;
            if *connected {
                cluster.reconnect(i);
                Ok(Some(format!("{node}: back on the network\n")))
            } else {
                cluster.disconnect(i);
                Ok(Some(format!("{node}: cut off the network (lab node reconnect {node} brings it back)\n")))
            }
        }
        Action::Partition { nodes } => {
            let side = nodes.iter().map(|n| index(cluster, n)).collect::<Result<Vec<_>, _>>()?;
            cluster.partition(&side);
            let others: Vec<String> = (0..cluster.machines().len())
                .filter(|i| !side.contains(i))
                .map(|i| cluster.machines()[i].hostname.clone())
                .collect();
            Ok(Some(format!("network split: {} | {} (lab heal mends it)\n", nodes.join(" "), others.join(" "))))
        }
        Action::Heal => {
            cluster.heal();
            Ok(Some("network mended: every node reaches every other\n".to_string()))
        }
        Action::Crash { container, node } => {
            let candidates: Vec<usize> = match node {
                Some(n) => vec![index(cluster, n)?],
                None => (0..cluster.machines().len()).collect(),
            };
            let mut last = Err(format!("no running container {container:?}"));
            for i in candidates {
                match cluster.crash(i, container) {
                    Ok(name) => return Ok(Some(format!("{name}\n"))),
                    Err(e) if e.contains("several") => return Err(e),
                    Err(e) if node.is_some() => last = Err(e),
                    Err(_) => {}
                }
            }
            last
        }
        Action::Speed(_) | Action::Skip | Action::Reset => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Speed;

    fn p(s: &str) -> Result<Action, String> {
        parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
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
        assert!(p("frobnicate").unwrap_err().contains("lab help"));
        assert_eq!(p("node of node2").unwrap_err(), "unknown node action \"of\": off, on, disconnect or reconnect");
        assert_eq!(p("node off").unwrap_err(), "which node? lab node off NODE");
    }

    #[test]
    fn every_change_says_what_it_did() {
        let mut c = Cluster::new(swarmlab_engine::sim::ClusterConfig::default());
        let said = |c: &mut Cluster, s: &str| apply(c, &p(s).unwrap()).unwrap().unwrap_or_default();
        assert_eq!(said(&mut c, "node off node1"), "node1: powered off (lab node on node1 brings it back)\n");
        assert_eq!(said(&mut c, "node on node1"), "node1: powered on\n");
        assert!(said(&mut c, "node disconnect node2").starts_with("node2: cut off the network"));
        assert_eq!(said(&mut c, "partition node1"), "network split: node1 | node2 node3 (lab heal mends it)\n");
        assert!(said(&mut c, "heal").starts_with("network mended"));
        assert_eq!(
            said(&mut c, "image crash nginx:bad 3"),
            "image nginx:bad: its containers now exit with 3 on start\n"
        );
        assert_eq!(apply(&mut c, &p("node off node9").unwrap()).unwrap_err(), "there is no node \"node9\" in this lab");
    }
}
