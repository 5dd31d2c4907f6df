//! One virtual node's Docker daemon: the [`Api`] answered from the simulated world,
//! with moby's daemon-side checks and messages (daemon/cluster).

use super::machine::ResolveError;
use super::{Cluster, CommitError, ENGINE_VERSION, Membership, split_host_port};
use crate::api::*;
use crate::ids;
use crate::manager::controlapi;
use crate::manager::objects::Kind;
use crate::store::{Change, Store};
use crate::types::*;
use std::time::Duration;

const DEFAULT_PORT: &str = "2377";
const DEFAULT_DATA_PATH_PORT: u32 = 4789;
/// moby `swarmConnectTimeout`.
const JOIN_TIMEOUT: Duration = Duration::from_secs(20);

pub struct NodeClient<'a> {
    pub(super) sim: &'a mut Cluster,
    pub(super) idx: usize,
}

/// The swarm a manager request runs in, and the leader that serves it (itself, or
/// the leader it forwards to, as swarmkit's raft proxy does).
struct ManagerCtx {
    cluster: String,
    node_id: String,
    leader: u64,
}

impl<'a> NodeClient<'a> {
    pub(super) fn new(sim: &'a mut Cluster, idx: usize) -> Self {
        NodeClient { sim, idx }
    }

    fn machine(&self) -> &super::Machine {
        &self.sim.machines()[self.idx]
    }

    /// The store as the leader serving this node holds it (the swarm's, for a node
    /// that is not one of its managers).
    pub(super) fn store(&self, cluster: &str) -> ApiResult<&Store> {
        let swarm = self.sim.swarm(cluster).ok_or_else(|| ApiError::unavailable(ERR_NO_SWARM))?;
        let serving = self.serving_leader(cluster);
        Ok(serving.and_then(|l| swarm.replica(l)).unwrap_or_else(|| swarm.store()))
    }

    /// The leader that answers this node's manager requests in `cluster`.
    fn serving_leader(&self, cluster: &str) -> Option<u64> {
        let m = self.machine();
        let node_id = m.node_id().filter(|_| m.cluster_id() == Some(cluster))?;
        self.sim.swarm(cluster)?.leader_for(node_id)
    }

    /// moby `lockedManagerAction`: this node must be a manager of a swarm with a leader.
    fn manager(&self) -> ApiResult<ManagerCtx> {
        let m = self.machine();
        let (cluster, node_id) = match &m.membership {
            Membership::Inactive => return Err(ApiError::unavailable(ERR_NO_MANAGER_INACTIVE)),
            Membership::Pending { .. } => return Err(ApiError::unavailable(ERR_NOT_MANAGER)),
            Membership::Active { cluster, node_id } => (cluster.clone(), node_id.clone()),
        };
        let swarm = self.sim.swarm(&cluster).ok_or_else(|| ApiError::unavailable(ERR_NO_SWARM))?;
        let own = swarm.raft_id(&node_id).and_then(|id| swarm.replica(id)).unwrap_or_else(|| swarm.store());
        let is_manager = own.nodes.get(&node_id).is_some_and(|n| n.manager_status.is_some());
        if !is_manager {
            return Err(ApiError::unavailable(ERR_NOT_MANAGER));
        }
        let leader = swarm.leader_for(&node_id).ok_or_else(|| ApiError::grpc(Code::Unknown, ERR_NO_LEADER))?;
        Ok(ManagerCtx { cluster, node_id, leader })
    }

    /// Commits through the leader serving this node (the swarm's, for a node joining).
    pub(super) fn commit(&mut self, cluster: &str, changes: Vec<Change>) -> ApiResult<()> {
        if let Some(store) = self.sim.swarm(cluster).map(|s| s.store()) {
            crate::manager::budget::request(store, &changes)?;
        }
        let result = match self.serving_leader(cluster) {
            Some(l) => self.sim.commit_via(cluster, l, changes),
            None => self.sim.commit(cluster, changes),
        };
        result.map_err(|e| match e {
            CommitError::NoLeader => ApiError::grpc(Code::Unknown, ERR_NO_LEADER),
            // swarmkit `ErrLostLeadership`, once the leader gives up.
            CommitError::LostLeadership { after } => {
                ApiError::grpc(Code::Unknown, "raft: failed to process the request: node lost leader status")
                    .after(after)
            }
            CommitError::Apply(e) => ApiError::internal(e.0),
        })
    }

    /// Commits, then lets the control loops react before answering, as the real
    /// managers do within milliseconds.
    pub(super) fn commit_settle(&mut self, cluster: &str, changes: Vec<Change>) -> ApiResult<()> {
        self.commit(cluster, changes)?;
        self.sim.settle(cluster);
        Ok(())
    }

    pub(super) fn manager_ids(&self) -> ApiResult<(String, String)> {
        self.manager().map(|c| (c.cluster, c.node_id))
    }

    pub(super) fn store_of(&self, cluster: &str) -> ApiResult<&Store> {
        self.store(cluster)
    }

    pub(super) fn sim(&self) -> &Cluster {
        self.sim
    }

    pub(super) fn sim_mut(&mut self) -> &mut Cluster {
        self.sim
    }

    pub(super) fn machine_mut(&mut self) -> &mut super::Machine {
        self.sim.machine_mut(self.idx)
    }

    pub(super) fn machine_ref(&self) -> &super::Machine {
        self.machine()
    }

    /// Managers the serving leader hears.
    fn reachable_managers(&self, cluster: &str) -> Vec<String> {
        let serving = self.serving_leader(cluster);
        self.sim
            .swarm(cluster)
            .map(|s| if serving.is_some() { s.reachable_managers(serving) } else { Vec::new() })
            .unwrap_or_default()
    }

    /// Manager statuses as the serving leader reports them (swarmkit fills them
    /// from Raft's member list when a client reads nodes).
    fn with_raft_status(&self, cluster: &str, leader: u64, nodes: &mut [Node]) {
        let Some(swarm) = self.sim.swarm(cluster) else { return };
        for n in nodes {
            if let Some(ms) = &n.manager_status {
                n.manager_status = Some(swarm.manager_status(&n.id, ms, Some(leader)));
            }
        }
    }

    fn description(&self, tls_info: TlsInfo) -> NodeDescription {
        let m = self.machine();
        NodeDescription {
            hostname: m.hostname.clone(),
            platform: Platform { architecture: "x86_64".into(), os: "linux".into() },
            resources: Resources { nano_cpus: m.nano_cpus, memory_bytes: m.memory_bytes },
            engine: EngineDescription {
                engine_version: ENGINE_VERSION.into(),
                labels: Labels::new(),
                plugins: engine_plugins(),
            },
            tls_info,
        }
    }

    fn resolve_listen(&self, listen: &str) -> ApiResult<(String, String)> {
        let listen = if listen.is_empty() { "0.0.0.0:2377" } else { listen };
        let (host, port) = split_host_port(listen, DEFAULT_PORT)
            .filter(|_| listen.contains(':'))
            .ok_or_else(|| ApiError::invalid(format!("could not parse listen address {listen}")))?;
        let ip = self.machine().resolve_host(&host, true).map_err(|ResolveError::BadNetworkIdentifier| {
            ApiError::invalid("listen address must be an IP address or network interface (with optional port number)")
        })?;
        Ok((ip, port))
    }

    /// moby `resolveAdvertiseAddr`: the given address (interface or IP, port defaulting
    /// to the listen port), else the machine's one address.
    fn resolve_advertise(&self, advertise: &str, listen_port: &str) -> ApiResult<(String, String)> {
        if advertise.is_empty() {
            return Ok((self.machine().addr.to_string(), listen_port.to_string()));
        }
        let (host, port) = match split_host_port(advertise, listen_port) {
            Some((h, p)) if advertise.contains(':') && !h.is_empty() => (h, p),
            _ => (advertise.to_string(), listen_port.to_string()),
        };
        let ip = self.machine().resolve_host(&host, false).map_err(|ResolveError::BadNetworkIdentifier| {
            ApiError::invalid(
                "advertise address must be a non-zero IP address or network interface (with optional port number)",
            )
        })?;
        Ok((ip, port))
    }
}

/// The plugins a Docker 28 engine reports.
fn engine_plugins() -> Vec<PluginDescription> {
    let mut v = Vec::new();
    for name in ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"] {
        v.push(PluginDescription { kind: "Log".into(), name: name.into() });
    }
    for name in ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"] {
        v.push(PluginDescription { kind: "Network".into(), name: name.into() });
    }
    v.push(PluginDescription { kind: "Volume".into(), name: "local".into() });
    v
}

/// Base 36 digest to the hex form swarmkit prints in "does not match fingerprint".
fn b36_to_hex(s: &str) -> String {
    ids::hex(&ids::digest_bytes(s).unwrap_or([0; 32]))
}

impl Api for NodeClient<'_> {
    fn version(&mut self) -> ApiResult<SystemVersion> {
        Ok(super::info::version())
    }

    fn info(&mut self) -> ApiResult<SystemInfo> {
        Ok(super::info::info(self.sim, self.idx))
    }

    fn swarm_init(&mut self, req: InitRequest) -> ApiResult<String> {
        match self.machine().membership.clone() {
            Membership::Inactive => {}
            Membership::Active { cluster, node_id } if req.force_new_cluster => {
                let is_manager = self.store(&cluster)?.nodes.get(&node_id).is_some_and(|n| n.manager_status.is_some());
                if !is_manager {
                    return Err(ApiError::unavailable(ERR_NOT_MANAGER));
                }
                return self.force_new_cluster((cluster, node_id));
            }
            _ => return Err(ApiError::unavailable(ERR_SWARM_EXISTS)),
        }
        let (_, listen_port) = self.resolve_listen(&req.listen_addr)?;
        let (adv_host, adv_port) = self.resolve_advertise(&req.advertise_addr, &listen_port)?;
        let data_path_port = match req.data_path_port {
            0 => DEFAULT_DATA_PATH_PORT,
            p if (1024..=49151).contains(&p) => p,
            p => {
                return Err(ApiError::invalid(format!(
                    "Datapath port number is not in valid range (1024-49151) : {p}"
                )));
            }
        };
        let (cluster_id, object) = self.new_cluster_object(&req, data_path_port);
        let tls_info = object.info.tls_info.clone();
        let node_id = self.sim.entropy.id();
        let node = Node {
            id: node_id.clone(),
            spec: NodeSpec {
                role: NodeRole::Manager,
                availability: req.availability.unwrap_or_default(),
                ..NodeSpec::default()
            },
            description: self.description(tls_info),
            status: NodeStatus { state: NodeState::Ready, message: String::new(), addr: adv_host.clone() },
            manager_status: Some(ManagerStatus {
                leader: false,
                reachability: Reachability::Reachable,
                addr: format!("{adv_host}:{adv_port}"),
            }),
            ..Node::default()
        };
        self.sim.create_swarm(cluster_id.clone(), &node_id);
        let ingress = crate::manager::networks::ingress(object.ingress_network_id.clone());
        let changes = vec![
            Change::CreateCluster(Box::new(object)),
            Change::CreateNetwork(Box::new(ingress)),
            Change::CreateNode(Box::new(node)),
        ];
        self.commit(&cluster_id, changes)?;
        self.sim.machine_mut(self.idx).membership =
            Membership::Active { cluster: cluster_id, node_id: node_id.clone() };
        Ok(node_id)
    }

    fn swarm_join(&mut self, req: JoinRequest) -> ApiResult<()> {
        if self.machine().membership != Membership::Inactive {
            return Err(ApiError::unavailable(ERR_SWARM_EXISTS));
        }
        let remote = req.remote_addrs.first().cloned().unwrap_or_default();
        if remote.is_empty() {
            return Err(ApiError::invalid("invalid remoteAddr \"\": invalid empty address"));
        }
        let (listen_ip, listen_port) = self.resolve_listen(&req.listen_addr)?;
        let advertise = if req.advertise_addr.is_empty() {
            None
        } else {
            self.resolve_advertise(&req.advertise_addr, &listen_port).ok()
        };
        let token = if req.join_token.is_empty() {
            None
        } else {
            Some(ids::parse_join_token(&req.join_token).ok_or_else(|| ApiError::internal("invalid join token"))?)
        };
        let remote = match split_host_port(&remote, DEFAULT_PORT) {
            Some((h, p)) => format!("{h}:{p}"),
            None => remote,
        };
        let Some(cluster) =
            self.manager_at(&remote).filter(|c| self.sim.swarm(c).is_some_and(|s| s.leader_node().is_some()))
        else {
            self.sim.machine_mut(self.idx).membership = Membership::Pending { remote };
            return Err(ApiError::unavailable(ERR_JOIN_TIMEOUT).after(JOIN_TIMEOUT));
        };
        let store = self.store(&cluster)?;
        let object = store.cluster.as_ref().ok_or_else(|| ApiError::unavailable(ERR_NO_SWARM))?;
        if let Some(t) = &token
            && t.digest != object.ca_digest
        {
            return Err(ApiError::internal(format!(
                "remote CA does not match fingerprint. Expected: {}",
                b36_to_hex(&t.digest)
            )));
        }
        let role = if req.join_token == object.join_tokens.manager {
            NodeRole::Manager
        } else if req.join_token == object.join_tokens.worker {
            NodeRole::Worker
        } else {
            return Err(ApiError::grpc(Code::InvalidArgument, "A valid join token is necessary to join this cluster"));
        };
        let addr = advertise.clone().map(|(h, _)| h).unwrap_or_else(|| self.machine().addr.to_string());
        let manager_addr = match &advertise {
            Some((h, p)) => format!("{h}:{p}"),
            None if listen_ip == "0.0.0.0" || listen_ip == "::" => {
                format!("{}:{listen_port}", self.machine().addr)
            }
            None => format!("{listen_ip}:{listen_port}"),
        };
        let tls_info = object.info.tls_info.clone();
        let node_id = self.sim.entropy.id();
        let node = Node {
            id: node_id.clone(),
            spec: NodeSpec { role, availability: req.availability.unwrap_or_default(), ..NodeSpec::default() },
            description: self.description(tls_info),
            status: NodeStatus { state: NodeState::Ready, message: String::new(), addr },
            manager_status: (role == NodeRole::Manager).then_some(ManagerStatus {
                leader: false,
                reachability: Reachability::Reachable,
                addr: manager_addr,
            }),
            ..Node::default()
        };
        self.commit(&cluster, vec![Change::CreateNode(Box::new(node))])?;
        self.sim.machine_mut(self.idx).membership = Membership::Active { cluster: cluster.clone(), node_id };
        self.sim.sync_member(self.idx);
        self.sim.settle(&cluster);
        Ok(())
    }

    fn swarm_leave(&mut self, force: bool) -> ApiResult<()> {
        let (cluster, node_id) = match self.machine().membership.clone() {
            Membership::Inactive => return Err(ApiError::unavailable(ERR_NO_SWARM)),
            Membership::Pending { .. } => {
                self.sim.machine_mut(self.idx).membership = Membership::Inactive;
                return Ok(());
            }
            Membership::Active { cluster, node_id } => (cluster, node_id),
        };
        let store = self.store(&cluster)?;
        let node = store.nodes.get(&node_id).cloned();
        let manager_status = node.as_ref().and_then(|n| n.manager_status.clone());
        if let (Some(_), false) = (&manager_status, force) {
            let has_leader = self.serving_leader(&cluster).is_some();
            return Err(ApiError::unavailable(crate::manager::leadership::leave_refusal(
                store,
                has_leader,
                &self.reachable_managers(&cluster),
            )));
        }
        // A manager that leaves stays a Raft member, unreachable, until it is demoted.
        self.sim.machine_mut(self.idx).membership = Membership::Inactive;
        self.sim.member_gone(&cluster, &node_id);
        if node.is_some() {
            self.sim.heartbeats_stop(&cluster, &node_id);
        }
        // The node's containers stop with it.
        self.sim.machine_mut(self.idx).agent = Default::default();
        Ok(())
    }

    fn swarm_inspect(&mut self) -> ApiResult<Swarm> {
        let ctx = self.manager()?;
        let object = self.store(&ctx.cluster)?.cluster.clone().ok_or_else(|| ApiError::unavailable(ERR_NO_SWARM))?;
        Ok(Swarm { cluster: object.info, join_tokens: object.join_tokens })
    }

    fn swarm_update(&mut self, version: u64, mut spec: SwarmSpec, flags: UpdateFlags) -> ApiResult<()> {
        let ctx = self.manager()?;
        if spec.name.is_empty() {
            spec.name = "default".into();
        } else if spec.name != "default" {
            return Err(ApiError::invalid("swarm spec must be named \"default\""));
        }
        let digest_b36 = self.store(&ctx.cluster)?.cluster.as_ref().map(|c| c.ca_digest.clone()).unwrap_or_default();
        let digest = ids::digest_bytes(&digest_b36).unwrap_or([0; 32]);
        let mut fresh = JoinTokens::default();
        if flags.rotate_worker_token {
            fresh.worker = self.sim.entropy.join_token(&digest);
        }
        if flags.rotate_manager_token {
            fresh.manager = self.sim.entropy.join_token(&digest);
        }
        let store = self.store(&ctx.cluster)?;
        let autolock_on = store.cluster.as_ref().is_some_and(|c| !c.unlock_key.is_empty());
        let wants_key = spec.encryption_config.auto_lock_managers && (!autolock_on || flags.rotate_manager_unlock_key);
        let fresh_key = wants_key.then(|| ids::unlock_key(&mut self.sim.entropy));
        let changes = controlapi::update_cluster(self.store(&ctx.cluster)?, version, spec, fresh, fresh_key)?;
        self.commit(&ctx.cluster, changes)
    }

    fn swarm_unlock_key(&mut self) -> ApiResult<String> {
        let ctx = self.manager()?;
        Ok(self.store(&ctx.cluster)?.cluster.as_ref().map(|c| c.unlock_key.clone()).unwrap_or_default())
    }

    fn node_list(&mut self, filters: &Filters) -> ApiResult<Vec<Node>> {
        let ctx = self.manager()?;
        let mut nodes = controlapi::list_nodes(self.store(&ctx.cluster)?, filters)?;
        self.with_raft_status(&ctx.cluster, ctx.leader, &mut nodes);
        Ok(nodes)
    }

    fn node_inspect(&mut self, reference: &str) -> ApiResult<Node> {
        let ctx = self.manager()?;
        let mut node = [controlapi::find_node(self.store(&ctx.cluster)?, reference)?.clone()];
        self.with_raft_status(&ctx.cluster, ctx.leader, &mut node);
        let [node] = node;
        Ok(node)
    }

    fn node_update(&mut self, reference: &str, version: u64, spec: NodeSpec) -> ApiResult<()> {
        let ctx = self.manager()?;
        let store = self.store(&ctx.cluster)?;
        let node = controlapi::find_node(store, reference)?.clone();
        let reachable = self.reachable_managers(&ctx.cluster);
        let up = self.sim.machines().iter().any(|m| m.node_id() == Some(node.id.as_str()));
        let manager_addr = up.then(|| format!("{}:{DEFAULT_PORT}", node.status.addr));
        let cctx = controlapi::Context { local: &ctx.node_id, reachable: &reachable, manager_addr };
        let changes = controlapi::update_node(store, &node.id, version, spec, &cctx)?;
        // Raft membership follows the store (a demoted leader hands over first).
        self.commit(&ctx.cluster, changes)?;
        self.sim.settle(&ctx.cluster);
        Ok(())
    }

    fn node_remove(&mut self, reference: &str, force: bool) -> ApiResult<()> {
        let ctx = self.manager()?;
        let store = self.store(&ctx.cluster)?;
        let id = controlapi::find_node(store, reference)?.id.clone();
        let changes = controlapi::remove_node(store, &id, force)?;
        self.commit(&ctx.cluster, changes)?;
        // A removed node that was still running loses its membership.
        let removed = self.sim.machines().iter().position(|m| m.node_id() == Some(id.as_str()));
        if let Some(i) = removed {
            self.sim.machine_mut(i).membership = Membership::Inactive;
            self.sim.machine_mut(i).agent = Default::default();
        }
        self.sim.settle(&ctx.cluster);
        Ok(())
    }

    fn distribution_inspect(&mut self, image: &str) -> ApiResult<String> {
        self.sim.registry.digest(image).ok_or_else(|| {
            ApiError::unavailable(format!(
                "errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n{image}"
            ))
        })
    }

    fn service_create(&mut self, spec: ServiceSpec, query_registry: bool) -> ApiResult<(String, Vec<String>)> {
        self.svc_create(spec, query_registry)
    }

    fn service_list(&mut self, filters: &Filters, status: bool) -> ApiResult<Vec<Service>> {
        self.svc_list(filters, status)
    }

    fn service_inspect(&mut self, reference: &str, insert_defaults: bool) -> ApiResult<Service> {
        self.svc_inspect(reference, insert_defaults)
    }

    fn service_update(
        &mut self,
        reference: &str,
        version: u64,
        spec: ServiceSpec,
        rollback: bool,
        query_registry: bool,
    ) -> ApiResult<Vec<String>> {
        self.svc_update(reference, version, spec, rollback, query_registry)
    }

    fn service_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.svc_remove(reference)
    }

    fn service_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        self.svc_logs(reference, opts)
    }

    fn task_list(&mut self, filters: &Filters) -> ApiResult<Vec<Task>> {
        self.task_list_impl(filters)
    }

    fn task_inspect(&mut self, id: &str) -> ApiResult<Task> {
        self.task_inspect_impl(id)
    }

    fn container_list(&mut self, all: bool) -> ApiResult<Vec<ContainerSummary>> {
        self.containers(all)
    }

    fn container_inspect(&mut self, reference: &str) -> ApiResult<ContainerInspect> {
        self.container_inspect_impl(reference)
    }

    fn container_logs(&mut self, reference: &str, opts: &LogsOptions) -> ApiResult<Vec<LogLine>> {
        self.container_logs_impl(reference, opts)
    }

    fn container_exec(&mut self, reference: &str, argv: &[String]) -> ApiResult<(String, i32)> {
        self.exec_impl(reference, argv)
    }
    fn secret_create(&mut self, spec: SecretSpec) -> ApiResult<String> {
        self.object_create(Kind::Secret, spec)
    }
    fn secret_list(&mut self, filters: &Filters) -> ApiResult<Vec<Secret>> {
        self.object_list(Kind::Secret, filters)
    }
    fn secret_inspect(&mut self, reference: &str) -> ApiResult<Secret> {
        self.object_inspect(Kind::Secret, reference)
    }
    fn secret_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.object_remove(Kind::Secret, reference)
    }
    fn config_create(&mut self, spec: ConfigSpec) -> ApiResult<String> {
        self.object_create(Kind::Config, spec)
    }
    fn config_list(&mut self, filters: &Filters) -> ApiResult<Vec<Config>> {
        self.object_list(Kind::Config, filters)
    }
    fn config_inspect(&mut self, reference: &str) -> ApiResult<Config> {
        self.object_inspect(Kind::Config, reference)
    }
    fn config_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.object_remove(Kind::Config, reference)
    }
    fn secret_update(&mut self, reference: &str, version: u64, spec: SecretSpec) -> ApiResult<()> {
        self.object_update(Kind::Secret, reference, version, spec)
    }
    fn config_update(&mut self, reference: &str, version: u64, spec: SecretSpec) -> ApiResult<()> {
        self.object_update(Kind::Config, reference, version, spec)
    }

    fn network_create(&mut self, req: NetworkCreateRequest) -> ApiResult<String> {
        self.network_create_impl(req)
    }
    fn network_list(&mut self, filters: &Filters) -> ApiResult<Vec<NetworkInspect>> {
        self.network_list_impl(filters)
    }
    fn network_inspect(&mut self, reference: &str) -> ApiResult<NetworkInspect> {
        self.network_inspect_impl(reference)
    }
    fn network_remove(&mut self, reference: &str) -> ApiResult<()> {
        self.network_remove_impl(reference)
    }

    fn sleep(&mut self, d: std::time::Duration) {
        self.sleep_impl(d)
    }

    fn now(&mut self) -> crate::time::Timestamp {
        self.sim.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_round_trips_between_bases() {
        let d = ids::sha256(b"x");
        assert_eq!(b36_to_hex(&ids::digest_b36(&d)), ids::hex(&d));
    }
}
