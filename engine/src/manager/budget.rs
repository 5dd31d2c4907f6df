//! What one simulated swarm may hold. A real swarm is bounded by its machines; the
//! simulation runs every task of every node in one process, so it bounds itself: far
//! above what any lesson needs, far below what would exhaust a laptop. A request
//! past a bound is refused before anything is allocated, in the lab's words, and the
//! swarm carries on. The README lists these numbers.

use crate::api::{ApiError, ApiResult, Code};
use crate::store::{Change, Store};
use crate::types::{ModeKind, ServiceSpec};

/// Tasks the services of a swarm may ask for at once (replicas, one per node for a
/// global service, the concurrent tasks of a job), all services together.
pub const MAX_TASKS: u64 = 10_000;
/// Services in one swarm.
pub const MAX_SERVICES: usize = 1_000;
/// The specs of a swarm's services, secrets, configs and networks, serialized, all
/// together (labels, environment, arguments, secret data).
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;
/// swarmkit's `store.MaxTransactionBytes`: a larger proposal is refused by Raft.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024 * 3 / 2;

fn refused(message: String) -> ApiError {
    ApiError::invalid(format!("swarmlab: {message}"))
}

/// How many tasks `spec` keeps at once on a swarm of `nodes` nodes.
fn tasks_of(spec: &ServiceSpec, nodes: usize) -> u64 {
    match spec.mode.kind() {
        ModeKind::Replicated => spec.mode.replicas().unwrap_or(1),
        ModeKind::Global | ModeKind::GlobalJob => nodes as u64,
        ModeKind::ReplicatedJob => spec.mode.replicated_job.as_ref().map_or(1, |j| j.max_concurrent.unwrap_or(1)),
    }
}

/// Creating (`replacing` None) or updating the service `replacing` to `spec` keeps
/// the swarm within its task and service counts.
pub fn services(store: &Store, replacing: Option<&str>, spec: &ServiceSpec) -> ApiResult<()> {
    if replacing.is_none() && store.services.len() >= MAX_SERVICES {
        return Err(refused(format!("this lab simulates at most {MAX_SERVICES} services in a swarm")));
    }
    let nodes = store.nodes.len();
    let others: u64 = store
        .services
        .values()
        .filter(|s| Some(s.id.as_str()) != replacing)
        .map(|s| tasks_of(&s.spec, nodes))
        .fold(0, u64::saturating_add);
    let wanted = tasks_of(spec, nodes);
    if others.saturating_add(wanted) > MAX_TASKS {
        let what = match spec.mode.kind() {
            ModeKind::Replicated => format!("{wanted} replicas"),
            _ => format!("{wanted} tasks"),
        };
        let besides =
            if others > 0 { format!(" ({others} already asked for by other services)") } else { String::new() };
        return Err(refused(format!(
            "{what} is more than this lab simulates: at most {MAX_TASKS} tasks in a swarm{besides}"
        )));
    }
    Ok(())
}

/// A client's request, as the changes it commits: swarmkit refuses a proposal past
/// `MAX_REQUEST_BYTES`; the lab refuses what would take the swarm's specs past
/// `MAX_SPEC_BYTES`.
pub fn request(store: &Store, changes: &[Change]) -> ApiResult<()> {
    let size: usize = changes.iter().map(|c| serde_json::to_vec(c).map_or(0, |v| v.len())).sum();
    if size > MAX_REQUEST_BYTES {
        return Err(ApiError::grpc(Code::Unknown, "raft: raft message is too large and can't be sent"));
    }
    let adds_specs = changes.iter().any(|c| {
        matches!(
            c,
            Change::CreateService(_)
                | Change::UpdateService(_)
                | Change::CreateSecret(_)
                | Change::CreateConfig(_)
                | Change::UpdateSecret(_)
                | Change::UpdateConfig(_)
                | Change::CreateNetwork(_)
        )
    });
    if adds_specs && spec_bytes(store).saturating_add(size) > MAX_SPEC_BYTES {
        return Err(refused(format!(
            "this swarm's services, secrets, configs and networks would take more than the {} MiB this lab keeps for them",
            MAX_SPEC_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// The serialized size of the specs a swarm holds.
fn spec_bytes(store: &Store) -> usize {
    let size = |v: Result<Vec<u8>, serde_json::Error>| v.map_or(0, |b| b.len());
    let services: usize = store.services.values().map(|s| size(serde_json::to_vec(&s.spec))).sum();
    let objects: usize =
        store.secrets.values().chain(store.configs.values()).map(|o| size(serde_json::to_vec(&o.spec))).sum();
    let networks: usize = store.networks.values().map(|n| size(serde_json::to_vec(n))).sum();
    services + objects + networks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ReplicatedService, Service, ServiceMode};

    fn replicated(n: u64) -> ServiceSpec {
        ServiceSpec {
            name: "web".into(),
            mode: ServiceMode { replicated: Some(ReplicatedService { replicas: Some(n) }), ..Default::default() },
            ..Default::default()
        }
    }

    #[test]
    fn replicas_past_the_budget_are_refused_counting_the_other_services() {
        let mut store = Store::default();
        assert!(services(&store, None, &replicated(MAX_TASKS)).is_ok());
        let e = services(&store, None, &replicated(10_000_000)).unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(
            e.message,
            "swarmlab: 10000000 replicas is more than this lab simulates: at most 10000 tasks in a swarm"
        );
        assert!(services(&store, None, &replicated(u64::MAX)).is_err());
        store.services.insert("a".into(), Service { id: "a".into(), spec: replicated(9_000), ..Default::default() });
        let e = services(&store, None, &replicated(1_001)).unwrap_err();
        assert!(e.message.ends_with("(9000 already asked for by other services)"), "{}", e.message);
        // Scaling the service itself counts its new size, not both.
        assert!(services(&store, Some("a"), &replicated(MAX_TASKS)).is_ok());
    }

    #[test]
    fn a_request_larger_than_rafts_limit_is_refused_as_swarmkit_does() {
        let mut spec = replicated(1);
        spec.labels.insert("x".into(), "a".repeat(2 * 1024 * 1024));
        let change = Change::CreateService(Box::new(Service { id: "a".into(), spec, ..Default::default() }));
        let e = request(&Store::default(), &[change]).unwrap_err();
        assert_eq!(e.message, "rpc error: code = Unknown desc = raft: raft message is too large and can't be sent");
        assert_eq!(e.status, 500);
    }
}
