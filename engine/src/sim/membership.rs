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
    pub(super) fn manager_at(&self, remote: &str) -> Option<String> {
        self.sim.machines().iter().enumerate().find_map(|(i, m)| {
            let cluster = m.cluster_id()?;
            let node = self.sim.swarm_of(i)?.store().nodes.get(m.node_id()?)?;
            let addr = &node.manager_status.as_ref()?.addr;
            (addr == remote && i != self.idx).then(|| cluster.to_string())
        })
    }
}
