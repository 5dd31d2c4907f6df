//! Making and finding swarms: the cluster object `swarm init` creates, `--force-new-cluster`
//! on a surviving manager, and the manager a join request reaches.

use super::Cluster;
use super::client::NodeClient;
use crate::api::*;
use crate::ca::RootCa;
use crate::ids;
use crate::store::{Change, ClusterObject};
use crate::types::*;

impl NodeClient<'_> {
    pub(super) fn new_cluster_object(&mut self, req: &InitRequest, data_path_port: u32) -> (String, ClusterObject) {
        let cluster_id = self.sim.entropy.id();
        let now = self.sim.now();
        let ca = RootCa::generate(&mut self.sim.entropy, now);
        let ca_digest = ca.digest;
        let mut spec = SwarmSpec::default();
        req.spec.apply_to(&mut spec);
        if req.auto_lock_managers {
            spec.encryption_config.auto_lock_managers = true;
        }
        let pools =
            if req.default_addr_pool.is_empty() { vec!["10.0.0.0/8".into()] } else { req.default_addr_pool.clone() };
        let autolock = spec.encryption_config.auto_lock_managers;
        let info = ClusterInfo {
            id: cluster_id.clone(),
            spec,
            default_addr_pool: pools,
            subnet_size: if req.subnet_size == 0 { 24 } else { req.subnet_size },
            data_path_port,
            tls_info: ca.tls_info(),
            ..ClusterInfo::default()
        };
        let join_tokens = JoinTokens {
            worker: self.sim.entropy.join_token(&ca_digest),
            manager: self.sim.entropy.join_token(&ca_digest),
        };
        let unlock_key = if autolock { ids::unlock_key(&mut self.sim.entropy) } else { String::new() };
        let ca_digest = ids::digest_b36(&ca_digest);
        let ingress_network_id = self.sim.entropy.id();
        (cluster_id, ClusterObject { info, join_tokens, ca_digest, unlock_key, ingress_network_id })
    }

    /// `swarm init --force-new-cluster` on a manager: a new Raft group with this node
    /// as its only member, from the store this node holds; the other managers become
    /// workers.
    pub(super) fn force_new_cluster(&mut self, ctx: (String, String)) -> ApiResult<String> {
        let (cluster, node_id) = ctx;
        let now = self.sim.now();
        let Cluster { swarms, entropy, .. } = &mut *self.sim;
        let swarm = swarms.get_mut(&cluster).ok_or_else(|| ApiError::unavailable(ERR_NO_SWARM))?;
        swarm.refound(&node_id, now, entropy);
        self.sim.follow(&cluster);
        let store = self.store(&cluster)?;
        let mut changes = Vec::new();
        for n in store.managers().filter(|n| n.id != node_id) {
            let spec = NodeSpec { role: NodeRole::Worker, ..n.spec.clone() };
            changes.push(Change::UpdateNodeSpec { id: n.id.clone(), spec });
            changes.push(Change::SetManagerStatus { id: n.id.clone(), status: None });
        }
        self.commit(&cluster, changes)?;
        self.sim.settle(&cluster);
        Ok(node_id)
    }

    /// The manager a join request reaches at `remote`, if one answers there.
    /// A host name resolves to that node's address, as the lab's hosts know each other
    /// by name (`docker swarm join … node1:2377`).
    pub(super) fn manager_at(&self, remote: &str) -> Option<String> {
        let resolved = super::split_host_port(remote, "2377").and_then(|(host, port)| {
            let m = self.sim.machines().iter().find(|m| m.hostname == host)?;
            Some(format!("{}:{port}", m.addr))
        });
        let remote = resolved.as_deref().unwrap_or(remote);
        self.sim.machines().iter().enumerate().find_map(|(i, m)| {
            let cluster = m.cluster_id()?;
            let node = self.sim.swarm_of(i)?.store().nodes.get(m.node_id()?)?;
            let addr = &node.manager_status.as_ref()?.addr;
            (addr == remote && i != self.idx).then(|| cluster.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::cli;
    use crate::sim::{Block, Cluster, ClusterConfig};

    fn docker(c: &mut Cluster, idx: usize, args: &str) -> cli::Output {
        crate::docker(c, idx, args)
    }

    #[test]
    fn a_join_reaches_the_manager_by_its_name_or_its_address_in_the_clusters_block() {
        let mut c = Cluster::new(ClusterConfig { block: Block::loopback(12), ..ClusterConfig::default() });
        docker(&mut c, 0, "swarm init");
        let info = docker(&mut c, 0, "info --format {{.Swarm.NodeAddr}}");
        assert_eq!(info.stdout, "127.12.0.11\n");
        let token = docker(&mut c, 0, "swarm join-token -q worker").stdout;
        let by_name = docker(&mut c, 1, &format!("swarm join --token {} node1:2377", token.trim()));
        assert_eq!(by_name.stdout, "This node joined a swarm as a worker.\n", "{}", by_name.stderr);
        let by_addr = docker(&mut c, 2, &format!("swarm join --token {} 127.12.0.11", token.trim()));
        assert_eq!(by_addr.stdout, "This node joined a swarm as a worker.\n", "{}", by_addr.stderr);
        let ls = docker(&mut c, 0, "node ls --format {{.Hostname}}");
        assert_eq!(ls.stdout, "node1\nnode2\nnode3\n");
    }

    #[test]
    fn a_join_to_an_address_of_the_default_block_finds_nobody_in_another_block() {
        let mut c = Cluster::new(ClusterConfig { block: Block::loopback(12), ..ClusterConfig::default() });
        docker(&mut c, 0, "swarm init");
        let token = docker(&mut c, 0, "swarm join-token -q worker").stdout;
        let out = docker(&mut c, 1, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
        assert_ne!(out.code, 0);
    }
}
