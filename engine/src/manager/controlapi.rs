//! swarmkit's control API, for nodes and the cluster object: each call checks a request
//! against the store, as the real one does, and answers with the changes to commit or
//! with swarmkit's error.

use super::leadership;
use crate::api::{ApiError, ApiResult, Code, Filters};
use crate::store::{Change, Store};
use crate::types::{JoinTokens, ManagerStatus, Node, NodeRole, NodeSpec, Reachability, SwarmSpec};

/// swarmkit `store.ErrSequenceConflict`, through the daemon.
fn sequence_conflict() -> ApiError {
    ApiError::grpc(Code::Unknown, "update out of sequence")
}

/// The daemon's `getNode`: full ID, then exact hostname, then ID prefix.
pub fn find_node<'a>(store: &'a Store, reference: &str) -> ApiResult<&'a Node> {
    if let Some(n) = store.nodes.get(reference) {
        return Ok(n);
    }
    let by_name: Vec<&Node> = store.nodes.values().filter(|n| n.description.hostname == reference).collect();
    let found = if by_name.is_empty() {
        store.nodes.values().filter(|n| !reference.is_empty() && n.id.starts_with(reference)).collect()
    } else {
        by_name
    };
    match found.len() {
        0 => Err(ApiError::not_found(format!("node {reference} not found"))),
        1 => Ok(found[0]),
        l => Err(ApiError::internal(format!("node {reference} is ambiguous ({l} matches found)"))),
    }
}

/// `GET /nodes`: the daemon's filter checks, then swarmkit's `ListNodes` filtering.
pub fn list_nodes(store: &Store, filters: &Filters) -> ApiResult<Vec<Node>> {
    filters.validate(&["name", "id", "label", "role", "membership", "node.label"])?;
    let mut roles = Vec::new();
    for r in filters.get("role") {
        match r.to_lowercase().as_str() {
            "worker" => roles.push(NodeRole::Worker),
            "manager" => roles.push(NodeRole::Manager),
            _ if r.is_empty() => {}
            _ => return Err(ApiError::invalid(format!("Invalid role filter: '{r}'"))),
        }
    }
    for m in filters.get("membership") {
        if !matches!(m.to_lowercase().as_str(), "accepted" | "pending" | "") {
            return Err(ApiError::invalid(format!("Invalid membership filter: '{m}'")));
        }
    }
    // Every node here has been accepted: none is pending approval.
    let memberships: Vec<String> =
        filters.get("membership").iter().map(|m| m.to_lowercase()).filter(|m| !m.is_empty()).collect();
    let prefix_any = |value: &str, prefixes: &[String]| {
        prefixes.is_empty() || prefixes.iter().any(|p| value.starts_with(p.as_str()))
    };
    let labels_match = |labels: &crate::types::Labels, wanted: &[String]| {
        wanted.iter().all(|kv| match kv.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
            None => labels.contains_key(kv.as_str()),
        })
    };
    Ok(store
        .nodes
        .values()
        .filter(|n| prefix_any(&n.description.hostname, filters.get("name")))
        .filter(|n| prefix_any(&n.id, filters.get("id")))
        .filter(|n| labels_match(&n.description.engine.labels, filters.get("label")))
        .filter(|n| labels_match(&n.spec.labels, filters.get("node.label")))
        .filter(|n| roles.is_empty() || roles.contains(&observed_role(n)))
        .filter(|_| memberships.is_empty() || memberships.iter().any(|m| m == "accepted"))
        .cloned()
        .collect())
}

/// The role a node holds now (swarmkit `Node.Role`), as opposed to the one asked for.
pub fn observed_role(n: &Node) -> NodeRole {
    if n.manager_status.is_some() { NodeRole::Manager } else { NodeRole::Worker }
}

/// What the sim knows about the world that the store does not.
pub struct Context<'a> {
    /// The node handling the request.
    pub local: &'a str,
    /// Managers whose machines answer.
    pub reachable: &'a [String],
    /// The manager address (`ip:2377`) a node would advertise if promoted, when it is up.
    pub manager_addr: Option<String>,
}

/// swarmkit `UpdateNode` plus the role manager's reconciliation of a role change.
pub fn update_node(store: &Store, id: &str, version: u64, spec: NodeSpec, ctx: &Context) -> ApiResult<Vec<Change>> {
    let node = store.nodes.get(id).ok_or_else(|| ApiError::grpc(Code::NotFound, format!("node {id} not found")))?;
    let mut changes = Vec::new();
    let demoting = node.spec.role == NodeRole::Manager && spec.role == NodeRole::Worker;
    if demoting {
        let managers: Vec<&Node> = store.nodes.values().filter(|n| n.spec.role == NodeRole::Manager).collect();
        if managers.len() == 1 && managers[0].id == node.id {
            return Err(ApiError::grpc(Code::FailedPrecondition, "attempting to demote the last manager of the swarm"));
        }
        if node.manager_status.is_some() && !leadership::can_remove_member(store, id, ctx.local, ctx.reachable) {
            return Err(ApiError::grpc(
                Code::FailedPrecondition,
                "can't remove member from the raft: this would result in a loss of quorum",
            ));
        }
    }
    if node.version.index != version {
        return Err(sequence_conflict());
    }
    let promoting = node.spec.role == NodeRole::Worker && spec.role == NodeRole::Manager;
    changes.push(Change::UpdateNodeSpec { id: id.to_string(), spec });
    if demoting && node.manager_status.is_some() {
        changes.push(Change::SetManagerStatus { id: id.to_string(), status: None });
    }
    if promoting
        && node.manager_status.is_none()
        && let Some(addr) = &ctx.manager_addr
    {
        let status = ManagerStatus { leader: false, reachability: Reachability::Reachable, addr: addr.clone() };
        changes.push(Change::SetManagerStatus { id: id.to_string(), status: Some(status) });
    }
    Ok(changes)
}

/// swarmkit `RemoveNode`.
pub fn remove_node(store: &Store, id: &str, force: bool) -> ApiResult<Vec<Change>> {
    let node = store.nodes.get(id).ok_or_else(|| ApiError::grpc(Code::NotFound, format!("node {id} not found")))?;
    if node.spec.role == NodeRole::Manager && node.manager_status.is_some() {
        return Err(ApiError::grpc(
            Code::FailedPrecondition,
            format!(
                "node {id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal"
            ),
        ));
    }
    if !force && node.status.state == crate::types::NodeState::Ready {
        return Err(ApiError::grpc(Code::FailedPrecondition, format!("node {id} is not down and can't be removed")));
    }
    Ok(vec![Change::RemoveNode { id: id.to_string() }])
}

/// swarmkit `UpdateCluster`. `fresh` holds newly drawn tokens for any rotation asked
/// for, `fresh_key` a newly drawn unlock key, used when autolock turns on or the key
/// is rotated.
pub fn update_cluster(
    store: &Store,
    version: u64,
    spec: SwarmSpec,
    fresh: JoinTokens,
    fresh_key: Option<String>,
) -> ApiResult<Vec<Change>> {
    let cluster = store.cluster.as_ref().ok_or_else(|| ApiError::not_found(crate::api::ERR_NO_SWARM))?;
    if cluster.info.version.index != version {
        return Err(sequence_conflict());
    }
    if spec.orchestration.task_history_retention_limit.is_some_and(|l| l < 0) {
        return Err(ApiError::grpc(Code::InvalidArgument, "TaskHistoryRetentionLimit must be non-negative"));
    }
    let mut changes = Vec::new();
    let unlock_key = match (spec.encryption_config.auto_lock_managers, fresh_key) {
        (false, _) => String::new(),
        (true, Some(k)) => k,
        (true, None) => cluster.unlock_key.clone(),
    };
    if unlock_key != cluster.unlock_key {
        changes.push(Change::SetUnlockKey(unlock_key));
    }
    if spec != cluster.info.spec {
        changes.push(Change::UpdateClusterSpec(Box::new(spec)));
    }
    let tokens = JoinTokens {
        worker: if fresh.worker.is_empty() { cluster.join_tokens.worker.clone() } else { fresh.worker },
        manager: if fresh.manager.is_empty() { cluster.join_tokens.manager.clone() } else { fresh.manager },
    };
    if tokens != cluster.join_tokens {
        changes.push(Change::SetJoinTokens(tokens));
    }
    if changes.is_empty() {
        // swarmkit still writes the cluster object, bumping its version.
        changes.push(Change::UpdateClusterSpec(Box::new(cluster.info.spec.clone())));
    }
    Ok(changes)
}
