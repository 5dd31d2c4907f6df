//! A virtual host: the daemon side of one node, before or after it joins a swarm.

use std::net::Ipv4Addr;

/// Where a machine stands with respect to swarms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// Not part of any swarm.
    Inactive,
    /// Trying to join `remote`, which did not answer.
    Pending { remote: String },
    /// Part of the swarm `cluster` as node `node_id`.
    Active { cluster: String, node_id: String },
}

#[derive(Debug, Clone)]
pub struct Machine {
    pub hostname: String,
    pub addr: Ipv4Addr,
    pub nano_cpus: i64,
    pub memory_bytes: i64,
    /// The daemon's own ID (`docker info` → ID), a UUID.
    pub engine_id: String,
    pub membership: Membership,
    pub power: Power,
    /// Which side of a network partition it is on (0 when the network is whole).
    pub side: u32,
    pub agent: crate::agent::executor::Agent,
    /// Local networks created on this node (`docker network create` without a swarm
    /// driver); the predefined ones are implied.
    pub networks: Vec<crate::types::NetworkInspect>,
}

/// Whether a machine runs, and whether the network reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// Powered on and reachable.
    On,
    /// Powered on but cut off from the network: unreachable, its containers run on.
    Disconnected,
    Off,
}

impl Machine {
    /// Powered on and on the network: it answers.
    pub fn reachable(&self) -> bool {
        self.power == Power::On
    }

    /// Powered on, reachable or not: its containers run.
    pub fn powered(&self) -> bool {
        self.power != Power::Off
    }

    /// This node's ID within its swarm, when it is in one.
    pub fn node_id(&self) -> Option<&str> {
        match &self.membership {
            Membership::Active { node_id, .. } => Some(node_id),
            _ => None,
        }
    }

    pub fn cluster_id(&self) -> Option<&str> {
        match &self.membership {
            Membership::Active { cluster, .. } => Some(cluster),
            _ => None,
        }
    }

    /// Resolves a host given on the command line: an interface name (`eth0`, `lo`)
    /// or an IP literal, as moby's `resolveInputIPAddr` does.
    pub fn resolve_host(&self, input: &str, unspecified_ok: bool) -> Result<String, ResolveError> {
        match input {
            "eth0" => return Ok(self.addr.to_string()),
            "lo" => return Ok("127.0.0.1".into()),
            _ => {}
        }
        match input.parse::<std::net::IpAddr>() {
            Ok(ip) if unspecified_ok || !ip.is_unspecified() => Ok(ip.to_string()),
            _ => Err(ResolveError::BadNetworkIdentifier),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveError {
    BadNetworkIdentifier,
}

/// The loopback block a cluster's nodes take their addresses in. Node `n` (1-based)
/// is the block's address plus 10 + n: 127.10.0.11, 127.10.0.12, … carrying into the
/// third octet past 255. Two labs on one machine take different blocks, so their
/// published ports never meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block(pub Ipv4Addr);

impl Default for Block {
    fn default() -> Self {
        Block(Ipv4Addr::new(127, 10, 0, 0))
    }
}

impl Block {
    /// The block `127.<second>.0.0`.
    pub fn loopback(second: u8) -> Self {
        Block(Ipv4Addr::new(127, second, 0, 0))
    }

    /// Address of node `n` (1-based).
    pub fn node(self, n: usize) -> Ipv4Addr {
        let offset = u32::try_from(n).unwrap_or(u32::MAX - 10).saturating_add(10);
        Ipv4Addr::from(u32::from(self.0).saturating_add(offset))
    }

    /// Which node (1-based) has address `ip`, among the first `max`.
    pub fn node_of(self, ip: Ipv4Addr, max: usize) -> Option<usize> {
        let n = u32::from(ip).checked_sub(u32::from(self.0))?.checked_sub(10)?;
        usize::try_from(n).ok().filter(|n| (1..=max).contains(n))
    }
}

/// Splits `host[:port]`, defaulting the port; IPv6 literals in brackets are accepted.
pub fn split_host_port(addr: &str, default_port: &str) -> Option<(String, String)> {
    if let Some(rest) = addr.strip_prefix('[') {
        let (host, tail) = rest.split_once(']')?;
        let port = tail.strip_prefix(':').unwrap_or(default_port);
        return Some((host.to_string(), port.to_string()));
    }
    match addr.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Some((h.to_string(), p.to_string())),
        Some(_) => None,
        None => Some((addr.to_string(), default_port.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_follow_the_node_number() {
        let b = Block::default();
        assert_eq!(b.node(1).to_string(), "127.10.0.11");
        assert_eq!(b.node(3).to_string(), "127.10.0.13");
        assert_eq!(b.node(1000).to_string(), "127.10.3.242");
        assert_eq!(Block::loopback(11).node(2).to_string(), "127.11.0.12");
        assert_eq!(b.node_of("127.10.3.242".parse().unwrap(), 1000), Some(1000));
        assert_eq!(b.node_of("127.10.0.12".parse().unwrap(), 3), Some(2));
        assert_eq!(b.node_of("127.10.0.10".parse().unwrap(), 3), None);
        assert_eq!(b.node_of("127.11.0.12".parse().unwrap(), 3), None);
        assert_eq!(b.node_of("127.0.0.1".parse().unwrap(), 3), None);
    }

    #[test]
    fn host_port_splitting() {
        assert_eq!(split_host_port("127.10.0.11", "2377"), Some(("127.10.0.11".into(), "2377".into())));
        assert_eq!(split_host_port("127.10.0.11:4000", "2377"), Some(("127.10.0.11".into(), "4000".into())));
        assert_eq!(split_host_port("[::1]:5", "2377"), Some(("::1".into(), "5".into())));
    }
}
