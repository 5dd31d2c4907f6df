//! The cluster store: every object a swarm's managers agree on, changed only by
//! serializable [`StoreOp`]s through the one pure function [`apply`]. Raft replicates
//! these ops among managers; tests replay them.

use crate::time::Timestamp;
use crate::types::{
    ClusterInfo, JoinTokens, ManagerStatus, NetworkAttachment, Node, NodeSpec, NodeStatus, Secret, Service,
    SwarmNetwork, SwarmSpec, Task, TaskState, TaskStatus,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The swarm-wide object: cluster info, join tokens and the root CA's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterObject {
    pub info: ClusterInfo,
    pub join_tokens: JoinTokens,
    /// Base 36 SHA-256 digest of the root CA, as join tokens carry it.
    pub ca_digest: String,
    /// The managers' unlock key (`SWMKEY-1-…`), set while autolock is on.
    #[serde(default)]
    pub unlock_key: String,
    /// The `ingress` overlay network every swarm starts with.
    #[serde(default)]
    pub ingress_network_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// Bumped by every applied op; objects carry it as their `Version.Index`.
    pub index: u64,
    pub cluster: Option<ClusterObject>,
    pub nodes: BTreeMap<String, Node>,
    pub services: BTreeMap<String, Service>,
    pub tasks: BTreeMap<String, Task>,
    #[serde(default)]
    pub secrets: BTreeMap<String, Secret>,
    #[serde(default)]
    pub configs: BTreeMap<String, Secret>,
    /// Swarm-scoped networks, `ingress` among them.
    #[serde(default)]
    pub networks: BTreeMap<String, SwarmNetwork>,
    /// Task IDs by service ID and by node ID, kept by `apply`.
    #[serde(skip)]
    pub tasks_by_service: BTreeMap<String, BTreeSet<String>>,
    #[serde(skip)]
    pub tasks_by_node: BTreeMap<String, BTreeSet<String>>,
}

/// One change to the store, stamped with the virtual time it was made at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreOp {
    pub at: Timestamp,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    CreateCluster(Box<ClusterObject>),
    UpdateClusterSpec(Box<SwarmSpec>),
    SetJoinTokens(JoinTokens),
    SetUnlockKey(String),
    CreateNode(Box<Node>),
    UpdateNodeSpec {
        id: String,
        spec: NodeSpec,
    },
    SetNodeStatus {
        id: String,
        status: NodeStatus,
    },
    SetManagerStatus {
        id: String,
        status: Option<ManagerStatus>,
    },
    RemoveNode {
        id: String,
    },
    CreateService(Box<Service>),
    /// Replaces a service (spec, previous spec, endpoint, update status).
    UpdateService(Box<Service>),
    RemoveService {
        id: String,
    },
    CreateTask(Box<Task>),
    /// The scheduler's decision: the task goes to `node_id`.
    AssignTask {
        id: String,
        node_id: String,
        status: TaskStatus,
    },
    SetTaskStatus {
        id: String,
        status: TaskStatus,
    },
    SetTaskDesiredState {
        id: String,
        state: TaskState,
    },
    RemoveTask {
        id: String,
    },
    CreateSecret(Box<Secret>),
    RemoveSecret {
        id: String,
    },
    CreateConfig(Box<Secret>),
    RemoveConfig {
        id: String,
    },
    /// New labels on a secret or config (nothing else of them may change).
    UpdateSecret(Box<Secret>),
    UpdateConfig(Box<Secret>),
    CreateNetwork(Box<SwarmNetwork>),
    RemoveNetwork {
        id: String,
    },
    /// The allocator's addresses for a task on its networks.
    SetTaskNetworks {
        id: String,
        attachments: Vec<NetworkAttachment>,
    },
}

/// Why an op could not be applied: the op names an object the store lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError(pub String);

/// swarmkit's store keeps names unique per kind (memdb `ErrNameConflict`): a create
/// that raced another of the same name through Raft fails on every manager alike.
fn unique<'a>(mut names: impl Iterator<Item = &'a String>, name: &str) -> Result<(), ApplyError> {
    if names.any(|n| n == name) {
        return Err(ApplyError("name conflicts with an existing object".into()));
    }
    Ok(())
}

/// Applies one op. Pure: the result depends on the store and the op only.
pub fn apply(store: &mut Store, op: &StoreOp) -> Result<(), ApplyError> {
    apply_change(store, op.at, op.change.clone())
}

/// A new secret or config carries the op's index and time.
fn stamped(mut object: Secret, index: u64, at: Timestamp) -> Secret {
    object.version.index = index;
    object.created_at = at;
    object.updated_at = at;
    object
}

/// `apply`, taking the change by value so that objects move into the store.
pub fn apply_change(store: &mut Store, at: Timestamp, change: Change) -> Result<(), ApplyError> {
    let index = store.index + 1;
    match change {
        Change::CreateCluster(c) => {
            let mut c = *c;
            c.info.version.index = index;
            c.info.created_at = at;
            c.info.updated_at = at;
            store.cluster = Some(c);
        }
        Change::UpdateClusterSpec(spec) => {
            let c = cluster_mut(store)?;
            c.info.spec = *spec;
            touch_cluster(c, index, at);
        }
        Change::SetJoinTokens(tokens) => {
            let c = cluster_mut(store)?;
            c.join_tokens = tokens;
            touch_cluster(c, index, at);
        }
        Change::SetUnlockKey(key) => {
            let c = cluster_mut(store)?;
            c.unlock_key = key;
            touch_cluster(c, index, at);
        }
        Change::CreateNode(node) => {
            let mut node = *node;
            node.version.index = index;
            node.created_at = at;
            node.updated_at = at;
            store.nodes.insert(node.id.clone(), node);
        }
        Change::UpdateNodeSpec { id, spec } => {
            let n = node_mut(store, &id)?;
            n.spec = spec;
            touch_node(n, index, at);
        }
        Change::SetNodeStatus { id, status } => {
            let n = node_mut(store, &id)?;
            n.status = status;
            touch_node(n, index, at);
        }
        Change::SetManagerStatus { id, status } => {
            let n = node_mut(store, &id)?;
            n.manager_status = status;
            touch_node(n, index, at);
        }
        Change::RemoveNode { id } => {
            store.nodes.remove(&id).ok_or_else(|| ApplyError(format!("node {id} not found")))?;
        }
        Change::CreateService(svc) => {
            unique(store.services.values().map(|s| &s.spec.name), &svc.spec.name)?;
            let mut svc = *svc;
            svc.version.index = index;
            svc.created_at = at;
            svc.updated_at = at;
            store.services.insert(svc.id.clone(), svc);
        }
        Change::UpdateService(svc) => {
            let old =
                store.services.get_mut(&svc.id).ok_or_else(|| ApplyError(format!("service {} not found", svc.id)))?;
            let created_at = old.created_at;
            *old = *svc;
            old.created_at = created_at;
            old.version.index = index;
            old.updated_at = at;
        }
        Change::CreateSecret(object) => {
            unique(store.secrets.values().map(|s| &s.spec.name), &object.spec.name)?;
            let object = stamped(*object, index, at);
            store.secrets.insert(object.id.clone(), object);
        }
        Change::CreateConfig(object) => {
            unique(store.configs.values().map(|s| &s.spec.name), &object.spec.name)?;
            let object = stamped(*object, index, at);
            store.configs.insert(object.id.clone(), object);
        }
        Change::RemoveSecret { id } => {
            store.secrets.remove(&id).ok_or_else(|| ApplyError(format!("secret {id} not found")))?;
        }
        Change::RemoveConfig { id } => {
            store.configs.remove(&id).ok_or_else(|| ApplyError(format!("config {id} not found")))?;
        }
        Change::UpdateSecret(o) => relabel(&mut store.secrets, *o, index, at)?,
        Change::UpdateConfig(o) => relabel(&mut store.configs, *o, index, at)?,
        Change::CreateNetwork(n) => {
            unique(store.networks.values().map(|s| &s.spec.name), &n.spec.name)?;
            let mut n = *n;
            n.version.index = index;
            n.created_at = at;
            n.updated_at = at;
            store.networks.insert(n.id.clone(), n);
        }
        Change::RemoveNetwork { id } => {
            store.networks.remove(&id).ok_or_else(|| ApplyError(format!("network {id} not found")))?;
        }
        Change::SetTaskNetworks { id, attachments } => {
            let t = task_mut(store, &id)?;
            t.networks_attachments = attachments;
            touch_task(t, index, at);
        }
        Change::RemoveService { id } => {
            store.services.remove(&id).ok_or_else(|| ApplyError(format!("service {id} not found")))?;
        }
        Change::CreateTask(task) => {
            let mut task = *task;
            task.version.index = index;
            task.created_at = at;
            task.updated_at = at;
            store.index_task(&task);
            store.tasks.insert(task.id.clone(), task);
        }
        Change::AssignTask { id, node_id, status } => {
            let t = task_mut(store, &id)?;
            let old_node = std::mem::replace(&mut t.node_id, node_id.clone());
            t.status = status;
            touch_task(t, index, at);
            if let Some(set) = store.tasks_by_node.get_mut(&old_node) {
                set.remove(&id);
            }
            store.tasks_by_node.entry(node_id).or_default().insert(id);
        }
        Change::SetTaskStatus { id, status } => {
            let t = task_mut(store, &id)?;
            t.status = status;
            touch_task(t, index, at);
        }
        Change::SetTaskDesiredState { id, state } => {
            let t = task_mut(store, &id)?;
            t.desired_state = state;
            touch_task(t, index, at);
        }
        Change::RemoveTask { id } => {
            let t = store.tasks.remove(&id).ok_or_else(|| ApplyError(format!("task {id} not found")))?;
            store.unindex_task(&t);
        }
    }
    store.index = index;
    Ok(())
}

/// Replaces a secret's or config's labels, keeping when it was made.
fn relabel(map: &mut BTreeMap<String, Secret>, o: Secret, index: u64, at: Timestamp) -> Result<(), ApplyError> {
    let kept = map.get_mut(&o.id).ok_or_else(|| ApplyError(format!("object {} not found", o.id)))?;
    kept.spec.labels = o.spec.labels;
    kept.version.index = index;
    kept.updated_at = at;
    Ok(())
}

fn cluster_mut(store: &mut Store) -> Result<&mut ClusterObject, ApplyError> {
    store.cluster.as_mut().ok_or_else(|| ApplyError("no cluster object".into()))
}

fn node_mut<'a>(store: &'a mut Store, id: &str) -> Result<&'a mut Node, ApplyError> {
    store.nodes.get_mut(id).ok_or_else(|| ApplyError(format!("node {id} not found")))
}

fn task_mut<'a>(store: &'a mut Store, id: &str) -> Result<&'a mut Task, ApplyError> {
    store.tasks.get_mut(id).ok_or_else(|| ApplyError(format!("task {id} not found")))
}

fn touch_task(t: &mut Task, index: u64, at: Timestamp) {
    t.version.index = index;
    t.updated_at = at;
}

fn touch_cluster(c: &mut ClusterObject, index: u64, at: Timestamp) {
    c.info.version.index = index;
    c.info.updated_at = at;
}

fn touch_node(n: &mut Node, index: u64, at: Timestamp) {
    n.version.index = index;
    n.updated_at = at;
}

impl Store {
    fn index_task(&mut self, t: &Task) {
        self.tasks_by_service.entry(t.service_id.clone()).or_default().insert(t.id.clone());
        if !t.node_id.is_empty() {
            self.tasks_by_node.entry(t.node_id.clone()).or_default().insert(t.id.clone());
        }
    }

    fn unindex_task(&mut self, t: &Task) {
        if let Some(set) = self.tasks_by_service.get_mut(&t.service_id) {
            set.remove(&t.id);
            if set.is_empty() {
                self.tasks_by_service.remove(&t.service_id);
            }
        }
        if let Some(set) = self.tasks_by_node.get_mut(&t.node_id) {
            set.remove(&t.id);
            if set.is_empty() {
                self.tasks_by_node.remove(&t.node_id);
            }
        }
    }

    /// Tasks of a service, in ID order.
    pub fn service_tasks<'a>(&'a self, service_id: &str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks_by_service.get(service_id).into_iter().flatten().filter_map(|id| self.tasks.get(id))
    }

    /// Tasks assigned to a node, in ID order.
    pub fn node_tasks<'a>(&'a self, node_id: &str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks_by_node.get(node_id).into_iter().flatten().filter_map(|id| self.tasks.get(id))
    }

    /// A service by exact name.
    pub fn service_by_name(&self, name: &str) -> Option<&Service> {
        self.services.values().find(|s| s.spec.name == name)
    }

    pub fn managers(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values().filter(|n| n.manager_status.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> Node {
        Node { id: id.into(), ..Node::default() }
    }

    #[test]
    fn a_second_service_of_the_same_name_is_refused_on_apply() {
        let mut s = Store::default();
        let svc = |id: &str| {
            let mut v = Service { id: id.into(), ..Service::default() };
            v.spec.name = "web".into();
            Change::CreateService(Box::new(v))
        };
        apply_change(&mut s, Timestamp(1), svc("a")).expect("first");
        let e = apply_change(&mut s, Timestamp(2), svc("b")).expect_err("same name");
        assert_eq!(e.0, "name conflicts with an existing object");
        assert_eq!(s.services.len(), 1);
    }

    #[test]
    fn versions_and_timestamps_follow_the_ops() {
        let mut s = Store::default();
        let t1 = Timestamp::from_secs(10);
        let t2 = Timestamp::from_secs(20);
        apply(&mut s, &StoreOp { at: t1, change: Change::CreateNode(Box::new(node("a"))) }).expect("create");
        let spec = NodeSpec { role: crate::types::NodeRole::Manager, ..NodeSpec::default() };
        apply(&mut s, &StoreOp { at: t2, change: Change::UpdateNodeSpec { id: "a".into(), spec } }).expect("update");
        let n = &s.nodes["a"];
        assert_eq!(n.version.index, 2);
        assert_eq!((n.created_at, n.updated_at), (t1, t2));
    }

    #[test]
    fn ops_on_missing_objects_fail_without_changing_the_store() {
        let mut s = Store::default();
        let before = s.clone();
        let op = StoreOp { at: Timestamp(0), change: Change::RemoveNode { id: "x".into() } };
        assert!(apply(&mut s, &op).is_err());
        assert_eq!(s, before);
    }

    #[test]
    fn task_indexes_follow_assignment_and_removal() {
        let mut s = Store::default();
        let t = Task { id: "t1".into(), service_id: "s1".into(), ..Task::default() };
        let at = Timestamp(0);
        apply(&mut s, &StoreOp { at, change: Change::CreateTask(Box::new(t)) }).expect("create");
        assert_eq!(s.service_tasks("s1").count(), 1);
        let status = TaskStatus { state: TaskState::Assigned, ..TaskStatus::default() };
        apply(&mut s, &StoreOp { at, change: Change::AssignTask { id: "t1".into(), node_id: "n1".into(), status } })
            .expect("assign");
        assert_eq!(s.node_tasks("n1").map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t1"]);
        apply(&mut s, &StoreOp { at, change: Change::RemoveTask { id: "t1".into() } }).expect("remove");
        assert_eq!((s.service_tasks("s1").count(), s.node_tasks("n1").count()), (0, 0));
        assert!(s.tasks_by_service.is_empty() && s.tasks_by_node.is_empty());
    }

    #[test]
    fn ops_round_trip_through_json() {
        let op = StoreOp { at: Timestamp::from_secs(5), change: Change::CreateNode(Box::new(node("n1"))) };
        let json = serde_json::to_string(&op).expect("serialize");
        let back: StoreOp = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(op, back);
    }
}
