//! swarmkit's control API for services: checks on specs, names, modes and ports, and
//! the changes that create, update, roll back or remove a service.

use super::scheduler::constraint;
use crate::api::{ApiError, ApiResult, Code};
use crate::store::{Change, Store};
use crate::time::Timestamp;
use crate::types::{ModeKind, Service, ServiceSpec, UpdateStatus};

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::grpc(Code::InvalidArgument, msg)
}

/// `^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$`
fn valid_dns_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b.last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

/// swarmkit `validateServiceSpec`, for the parts this engine models.
pub fn validate(spec: &ServiceSpec) -> ApiResult<()> {
    // The daemon's conversion (ServiceSpecToGRPC) refuses two modes before swarmkit.
    let m = &spec.mode;
    let modes = [m.replicated.is_some(), m.global.is_some(), m.replicated_job.is_some(), m.global_job.is_some()];
    if modes.iter().filter(|on| **on).count() > 1 {
        return Err(ApiError::invalid("must specify only one service mode"));
    }
    if spec.name.is_empty() {
        return Err(invalid("meta: name must be provided"));
    }
    if !valid_dns_name(&spec.name) {
        return Err(invalid("name must be valid as a DNS name component"));
    }
    if spec.name.len() > 63 {
        return Err(invalid("name must be 63 characters or fewer"));
    }
    let t = &spec.task_template;
    let image = t.container_spec.as_ref().map(|c| c.image.as_str()).unwrap_or("");
    if image.is_empty() {
        return Err(invalid("ContainerSpec: image reference must be provided"));
    }
    if crate::reference::parse_normalized_named(image).is_err() {
        return Err(invalid(format!("ContainerSpec: {image:?} is not a valid repository/tag")));
    }
    if let Some(r) = &t.resources {
        for (cpus, mem) in [
            r.limits.as_ref().map(|l| (l.nano_cpus, l.memory_bytes)),
            r.reservations.as_ref().map(|l| (l.nano_cpus, l.memory_bytes)),
        ]
        .into_iter()
        .flatten()
        {
            if cpus != 0 && cpus < 1_000_000 {
                return Err(invalid(format!("invalid cpu value {}: Must be at least 0.001", cpus as f64 / 1e9)));
            }
            if mem != 0 && mem < 4 * 1024 * 1024 {
                return Err(invalid(format!("invalid memory value {mem}: Must be at least 4MiB")));
            }
        }
    }
    if let Some(p) = &t.restart_policy {
        // The daemon's spec conversion rejects these before swarmkit sees them: plain 400s.
        if !matches!(p.condition.as_str(), "" | "none" | "on-failure" | "any") {
            return Err(ApiError::invalid(format!("invalid RestartCondition: {:?}", p.condition)));
        }
        if p.delay.is_some_and(|d| d < 0) {
            return Err(invalid("TaskSpec: restart-delay cannot be negative"));
        }
        if p.window.is_some_and(|d| d < 0) {
            return Err(invalid("TaskSpec: restart-window cannot be negative"));
        }
    }
    if let Some(p) = &t.placement {
        // swarmkit returns the parse error as is: it reaches the client as "Unknown".
        constraint::parse_all(&p.constraints).map_err(|e| ApiError::grpc(Code::Unknown, e))?;
    }
    for u in [&spec.update_config, &spec.rollback_config].into_iter().flatten() {
        if !matches!(u.failure_action.as_str(), "" | "pause" | "continue" | "rollback") {
            return Err(ApiError::invalid(format!("unrecognized update failure action {}", u.failure_action)));
        }
        if !matches!(u.order.as_str(), "" | "stop-first" | "start-first") {
            return Err(ApiError::invalid(format!("unrecognized update order {}", u.order)));
        }
        if u.delay < 0 {
            return Err(invalid("TaskSpec: update-delay cannot be negative"));
        }
        if u.monitor < 0 {
            return Err(invalid("TaskSpec: update-monitor cannot be negative"));
        }
        if !(0.0..=1.0).contains(&u.max_failure_ratio) {
            return Err(invalid("TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1"));
        }
    }
    if let Some(e) = &spec.endpoint_spec {
        let mut seen = std::collections::BTreeSet::new();
        for p in &e.ports {
            if e.mode == "dnsrr" && p.publish_mode != "host" && p.published_port > 0 {
                return Err(invalid("EndpointSpec: port published with ingress mode can't be used with dnsrr mode"));
            }
            if p.published_port > 0 && !seen.insert((p.protocol.clone(), p.published_port, p.publish_mode.clone())) {
                return Err(invalid("EndpointSpec: duplicate published ports provided"));
            }
        }
    }
    if matches!(spec.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob) && spec.update_config.is_some() {
        return Err(invalid("Jobs may not have an update config"));
    }
    if let Some(c) = &t.container_spec {
        let secrets = c.secrets.iter().map(|r| (r.secret_id.as_str(), r.secret_name.as_str(), r.file.as_ref()));
        unique_targets("secret", secrets)?;
        let configs = c.configs.iter().map(|r| (r.config_id.as_str(), r.config_name.as_str(), r.file.as_ref()));
        unique_targets("config", configs)?;
    }
    Ok(())
}

/// swarmkit validateSecretRefsSpec / validateConfigRefsSpec: whole references, and no
/// two files at one target.
fn unique_targets<'a>(
    word: &str,
    refs: impl Iterator<Item = (&'a str, &'a str, Option<&'a crate::types::FileTarget>)>,
) -> ApiResult<()> {
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (id, name, file) in refs {
        if id.is_empty() || name.is_empty() {
            return Err(invalid(format!("malformed {word} reference")));
        }
        let Some(file) = file else { return Err(invalid(format!("malformed {word} reference, no target provided"))) };
        if file.name.is_empty() {
            return Err(invalid(format!("malformed file {word} reference, invalid target file name provided")));
        }
        if let Some(prev) = seen.insert(&file.name, name) {
            return Err(invalid(format!(
                "{word} references '{prev}' and '{name}' have a conflicting target: '{}'",
                file.name
            )));
        }
    }
    Ok(())
}

/// swarmkit `checkPortConflicts`.
fn check_ports(store: &Store, spec: &ServiceSpec, own_id: &str) -> ApiResult<()> {
    let Some(e) = &spec.endpoint_spec else { return Ok(()) };
    for p in e.ports.iter().filter(|p| p.published_port > 0) {
        let mode = if p.publish_mode.is_empty() { "ingress" } else { p.publish_mode.as_str() };
        let proto = if p.protocol.is_empty() { "tcp" } else { p.protocol.as_str() };
        for s in store.services.values().filter(|s| s.id != own_id) {
            let theirs = s.spec.endpoint_spec.iter().flat_map(|e| e.ports.iter()).chain(s.endpoint.ports.iter());
            for q in theirs {
                let qmode = if q.publish_mode.is_empty() { "ingress" } else { q.publish_mode.as_str() };
                let qproto = if q.protocol.is_empty() { "tcp" } else { q.protocol.as_str() };
                if q.published_port == p.published_port && qproto == proto && qmode == mode {
                    let kind = if mode == "host" { "a host-published port" } else { "an ingress port" };
                    return Err(invalid(format!(
                        "port '{}' is already in use by service '{}' ({}) as {kind}",
                        p.published_port, s.spec.name, s.id
                    )));
                }
            }
        }
    }
    Ok(())
}

pub fn create(store: &Store, id: String, spec: ServiceSpec) -> ApiResult<Vec<Change>> {
    validate(&spec)?;
    check_ports(store, &spec, "")?;
    super::budget::services(store, None, &spec)?;
    if store.service_by_name(&spec.name).is_some() {
        return Err(ApiError::grpc(
            Code::AlreadyExists,
            format!("name conflicts with an existing object: service {} already exists", spec.name),
        ));
    }
    let job_status = matches!(spec.mode.kind(), ModeKind::ReplicatedJob | ModeKind::GlobalJob).then(Default::default);
    let service = Service { id, spec, job_status, ..Service::default() };
    Ok(vec![Change::CreateService(Box::new(service))])
}

/// swarmkit `UpdateService`, with `rollback` for `--rollback` / `service rollback`.
pub fn update(
    store: &Store,
    id: &str,
    version: u64,
    spec: ServiceSpec,
    rollback: bool,
    now: Timestamp,
) -> ApiResult<Vec<Change>> {
    let service =
        store.services.get(id).ok_or_else(|| ApiError::grpc(Code::NotFound, format!("service {id} not found")))?;
    if service.version.index != version {
        return Err(ApiError::grpc(Code::Unknown, "update out of sequence"));
    }
    let mut s = service.clone();
    if rollback {
        let Some(previous) = service.previous_spec.clone() else {
            return Err(ApiError::grpc(
                Code::FailedPrecondition,
                format!("service {id} does not have a previous spec"),
            ));
        };
        s.previous_spec = Some(service.spec.clone());
        s.spec = previous;
        s.update_status = Some(UpdateStatus {
            state: "rollback_started".into(),
            started_at: Some(now),
            completed_at: None,
            message: "manually requested rollback".into(),
        });
    } else {
        validate(&spec)?;
        if spec.name != service.spec.name {
            return Err(ApiError::grpc(Code::Unimplemented, "renaming services is not supported"));
        }
        if spec.mode.kind() != service.spec.mode.kind() {
            return Err(ApiError::grpc(Code::Unimplemented, "service mode change is not allowed"));
        }
        check_ports(store, &spec, id)?;
        super::budget::services(store, Some(id), &spec)?;
        s.previous_spec = Some(service.spec.clone());
        s.spec = spec;
        s.update_status = None;
        if let Some(j) = s.job_status.as_mut() {
            // Updating a job runs it again.
            j.job_iteration.index = service.version.index;
        }
    }
    Ok(vec![Change::UpdateService(Box::new(s))])
}

/// The daemon's `getService`: full ID, then exact name, then ID prefix.
pub fn find<'a>(store: &'a Store, reference: &str) -> ApiResult<&'a Service> {
    if let Some(s) = store.services.get(reference) {
        return Ok(s);
    }
    let by_name: Vec<&Service> = store.services.values().filter(|s| s.spec.name == reference).collect();
    let found = if by_name.is_empty() {
        store.services.values().filter(|s| !reference.is_empty() && s.id.starts_with(reference)).collect()
    } else {
        by_name
    };
    match found.len() {
        0 => Err(ApiError::not_found(format!("service {reference} not found"))),
        1 => Ok(found[0]),
        l => Err(ApiError::internal(format!("service {reference} is ambiguous ({l} matches found)"))),
    }
}
