//! The cluster store: every object a swarm's managers agree on, changed only by
//! serializable [`StoreOp`]s through the one pure function [`apply`]. Raft replicates
//! these ops among managers; tests replay them.

use crate::time::Timestamp;
use crate::types::{ClusterInfo, JoinTokens, ManagerStatus, Node, NodeSpec, NodeStatus, SwarmSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// Bumped by every applied op; objects carry it as their `Version.Index`.
    pub index: u64,
    pub cluster: Option<ClusterObject>,
    pub nodes: BTreeMap<String, Node>,
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
    UpdateNodeSpec { id: String, spec: NodeSpec },
    SetNodeStatus { id: String, status: NodeStatus },
    SetManagerStatus { id: String, status: Option<ManagerStatus> },
    RemoveNode { id: String },
}

/// Why an op could not be applied: the op names an object the store lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyError(pub String);

/// Applies one op. Pure: the result depends on the store and the op only.
pub fn apply(store: &mut Store, op: &StoreOp) -> Result<(), ApplyError> {
    let index = store.index + 1;
    let at = op.at;
    match &op.change {
        Change::CreateCluster(c) => {
            let mut c = (**c).clone();
            c.info.version.index = index;
            c.info.created_at = at;
            c.info.updated_at = at;
            store.cluster = Some(c);
        }
        Change::UpdateClusterSpec(spec) => {
            let c = cluster_mut(store)?;
            c.info.spec = (**spec).clone();
            touch_cluster(c, index, at);
        }
        Change::SetJoinTokens(tokens) => {
            let c = cluster_mut(store)?;
            c.join_tokens = tokens.clone();
            touch_cluster(c, index, at);
        }
        Change::SetUnlockKey(key) => {
            let c = cluster_mut(store)?;
            c.unlock_key = key.clone();
            touch_cluster(c, index, at);
        }
        Change::CreateNode(node) => {
            let mut node = (**node).clone();
            node.version.index = index;
            node.created_at = at;
            node.updated_at = at;
            store.nodes.insert(node.id.clone(), node);
        }
        Change::UpdateNodeSpec { id, spec } => {
            let n = node_mut(store, id)?;
            n.spec = spec.clone();
            touch_node(n, index, at);
        }
        Change::SetNodeStatus { id, status } => {
            let n = node_mut(store, id)?;
            n.status = status.clone();
            touch_node(n, index, at);
        }
        Change::SetManagerStatus { id, status } => {
            let n = node_mut(store, id)?;
            n.manager_status = status.clone();
            touch_node(n, index, at);
        }
        Change::RemoveNode { id } => {
            store.nodes.remove(id).ok_or_else(|| ApplyError(format!("node {id} not found")))?;
        }
    }
    store.index = index;
    Ok(())
}

fn cluster_mut(store: &mut Store) -> Result<&mut ClusterObject, ApplyError> {
    store.cluster.as_mut().ok_or_else(|| ApplyError("no cluster object".into()))
}

fn node_mut<'a>(store: &'a mut Store, id: &str) -> Result<&'a mut Node, ApplyError> {
    store.nodes.get_mut(id).ok_or_else(|| ApplyError(format!("node {id} not found")))
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
    pub fn managers(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values().filter(|n| n.manager_status.is_some())
    }

    pub fn leader(&self) -> Option<&Node> {
        self.nodes.values().find(|n| n.manager_status.as_ref().is_some_and(|m| m.leader))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> Node {
        Node { id: id.into(), ..Node::default() }
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
    fn ops_round_trip_through_json() {
        let op = StoreOp { at: Timestamp::from_secs(5), change: Change::CreateNode(Box::new(node("n1"))) };
        let json = serde_json::to_string(&op).expect("serialize");
        let back: StoreOp = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(op, back);
    }
}
