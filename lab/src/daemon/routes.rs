//! The Docker Engine API routes a virtual node's daemon serves: each request becomes a
//! call on the engine's [`Api`] and its answer the JSON moby sends. Pure: no sockets.

use crate::wire::{self, Reply, Req};
use serde::de::DeserializeOwned;
use swarmlab_engine::api::{Api, ApiError, ApiResult};
use swarmlab_engine::types::{LogLine, LogsOptions, UpdateFlags};

/// The first path segments of the routes below: a request for one of them meets
/// moby's version check before its handler, any other is "page not found".
const ROOTS: &[&str] = &[
    "_ping",
    "version",
    "info",
    "swarm",
    "nodes",
    "distribution",
    "services",
    "secrets",
    "configs",
    "networks",
    "tasks",
    "containers",
    "swarmlab",
];

/// Does the daemon serve this path (whether or not the method and the rest match)?
pub fn serves(req: &Req) -> bool {
    ROOTS.contains(&req.path.trim_start_matches('/').split('/').next().unwrap_or(""))
}

/// Answers one request as the node behind `api`.
pub fn route(api: &mut dyn Api, req: &Req) -> Reply {
    match dispatch(api, req) {
        Ok(reply) => reply,
        Err(e) => Reply::error(&e),
    }
}

fn dispatch(api: &mut dyn Api, req: &Req) -> ApiResult<Reply> {
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    let ok = |v: &dyn erased::Json| Ok(v.reply(200));
    match (req.method.as_str(), segs.as_slice()) {
        ("GET" | "HEAD", ["_ping"]) => Ok(Reply { body: b"OK".to_vec(), ..Reply::empty(200) }),
        ("GET", ["version"]) => ok(&api.version()?),
        ("GET", ["info"]) => ok(&api.info()?),

        ("POST", ["swarm", "init"]) => ok(&api.swarm_init(body(req)?)?),
        ("POST", ["swarm", "join"]) => api.swarm_join(body(req)?).map(|()| Reply::empty(200)),
        ("POST", ["swarm", "leave"]) => api.swarm_leave(req.flag("force")).map(|()| Reply::empty(200)),
        ("GET", ["swarm"]) => ok(&api.swarm_inspect()?),
        ("POST", ["swarm", "update"]) => {
            let flags = UpdateFlags {
                rotate_worker_token: req.flag("rotateWorkerToken"),
                rotate_manager_token: req.flag("rotateManagerToken"),
                rotate_manager_unlock_key: req.flag("rotateManagerUnlockKey"),
            };
            api.swarm_update(version(req)?, body(req)?, flags).map(|()| Reply::empty(200))
        }
        ("GET", ["swarm", "unlockkey"]) => ok(&serde_json::json!({ "UnlockKey": api.swarm_unlock_key()? })),

        ("GET", ["nodes"]) => ok(&api.node_list(&filters(req)?)?),
        ("GET", ["nodes", id]) => ok(&api.node_inspect(id)?),
        ("POST", ["nodes", id, "update"]) => api.node_update(id, version(req)?, body(req)?).map(|()| Reply::empty(200)),
        ("DELETE", ["nodes", id]) => api.node_remove(id, req.flag("force")).map(|()| Reply::empty(200)),

        ("GET", ["distribution", name @ .., "json"]) if !name.is_empty() => {
            let digest = api.distribution_inspect(&name.join("/"))?;
            ok(&serde_json::json!({
                "Descriptor": {
                    "mediaType": "application/vnd.oci.image.index.v1+json",
                    "digest": digest,
                    "size": 10_229,
                },
                "Platforms": [{ "architecture": "amd64", "os": "linux" }],
            }))
        }

        ("POST", ["services", "create"]) => {
            let (id, warnings) = api.service_create(body(req)?, false)?;
            let mut v = serde_json::json!({ "ID": id });
            if !warnings.is_empty() {
                v["Warnings"] = serde_json::json!(warnings);
            }
            Ok(Reply::json(201, &v))
        }
        ("GET", ["services"]) => ok(&api.service_list(&filters(req)?, req.flag("status"))?),
        ("GET", ["services", id]) => ok(&api.service_inspect(id, req.flag("insertDefaults"))?),
        ("POST", ["services", id, "update"]) => {
            let rollback = req.get("rollback") == Some("previous");
            let warnings = api.service_update(id, version(req)?, body(req)?, rollback, false)?;
            let mut v = serde_json::json!({});
            if !warnings.is_empty() {
                v["Warnings"] = serde_json::json!(warnings);
            }
            ok(&v)
        }
        ("DELETE", ["services", id]) => api.service_remove(id).map(|()| Reply::empty(200)),
        ("GET", ["services", id, "logs"]) => Ok(logs(req, api.service_logs(id, &logs_options(req)?)?)),

        ("GET", ["secrets"]) => ok(&api.secret_list(&filters(req)?)?),
        ("POST", ["secrets", "create"]) => {
            Ok(Reply::json(201, &serde_json::json!({ "ID": api.secret_create(body(req)?)? })))
        }
        ("GET", ["secrets", id]) => ok(&api.secret_inspect(id)?),
        ("DELETE", ["secrets", id]) => api.secret_remove(id).map(|()| Reply::empty(204)),
        ("GET", ["configs"]) => ok(&api.config_list(&filters(req)?)?),
        ("POST", ["configs", "create"]) => {
            Ok(Reply::json(201, &serde_json::json!({ "ID": api.config_create(body(req)?)? })))
        }
        ("GET", ["configs", id]) => ok(&api.config_inspect(id)?),
        ("DELETE", ["configs", id]) => api.config_remove(id).map(|()| Reply::empty(204)),
        ("POST", ["secrets", id, "update"]) => {
            api.secret_update(id, version(req)?, body(req)?).map(|()| Reply::empty(200))
        }
        ("POST", ["configs", id, "update"]) => {
            api.config_update(id, version(req)?, body(req)?).map(|()| Reply::empty(200))
        }

        ("GET", ["networks"]) => ok(&api.network_list(&filters(req)?)?),
        ("POST", ["networks", "create"]) => {
            Ok(Reply::json(201, &serde_json::json!({ "Id": api.network_create(body(req)?)?, "Warning": "" })))
        }
        ("GET", ["networks", id]) => ok(&api.network_inspect(id)?),
        ("DELETE", ["networks", id]) => api.network_remove(id).map(|()| Reply::empty(204)),

        ("GET", ["tasks"]) => ok(&api.task_list(&filters(req)?)?),
        ("GET", ["tasks", id]) => ok(&api.task_inspect(id)?),

        ("GET", ["containers", "json"]) => ok(&api.container_list(req.flag("all"))?),
        ("GET", ["containers", id, "json"]) => ok(&api.container_inspect(id)?),
        // Not Docker's exec (create, then a hijacked start): the shim's own, one call.
        ("POST", ["swarmlab", "exec", id]) => {
            let argv: Vec<String> = body(req)?;
            if argv.is_empty() {
                return Err(ApiError::invalid("No exec command specified"));
            }
            let (output, code) = api.container_exec(id, &argv)?;
            ok(&serde_json::json!({ "Output": output, "ExitCode": code }))
        }
        ("GET", ["containers", id, "logs"]) => Ok(logs(req, api.container_logs(id, &logs_options(req)?)?)),

        _ => Err(ApiError::not_found("page not found")),
    }
}

/// Lets `ok` take any serializable answer without a generic closure.
mod erased {
    pub trait Json {
        fn reply(&self, status: u16) -> super::Reply;
    }
    impl<T: serde::Serialize> Json for T {
        fn reply(&self, status: u16) -> super::Reply {
            super::Reply::json(status, self)
        }
    }
}

/// Decodes a JSON body the way Go decodes into moby's structs: an empty string or a
/// null is the zero value, the same as an absent field.
fn body<T: DeserializeOwned>(req: &Req) -> ApiResult<T> {
    let text = if req.body.is_empty() { b"{}".as_slice() } else { &req.body };
    let mut value: serde_json::Value = serde_json::from_slice(text).map_err(|e| ApiError::invalid(e.to_string()))?;
    prune_zero(&mut value);
    serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string()))
}

fn prune_zero(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !(v.is_null() || v.as_str() == Some("")));
            map.values_mut().for_each(prune_zero);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(prune_zero),
        _ => {}
    }
}

fn version(req: &Req) -> ApiResult<u64> {
    let v = req.get("version").unwrap_or("");
    v.parse().map_err(|_| ApiError::invalid(format!("invalid node version: '{v}'")))
}

fn filters(req: &Req) -> ApiResult<swarmlab_engine::api::Filters> {
    wire::filters_from_json(req.get("filters").unwrap_or(""))
}

fn logs_options(req: &Req) -> ApiResult<LogsOptions> {
    if !req.flag("stdout") && !req.flag("stderr") {
        return Err(ApiError::invalid("Bad parameters: you must choose at least one stream"));
    }
    let tail = match req.get("tail").unwrap_or("all") {
        "all" | "" => None,
        n => n.parse::<i64>().ok().and_then(|n| usize::try_from(n).ok()),
    };
    Ok(LogsOptions { tail, timestamps: req.flag("timestamps") })
}

/// moby `WriteLogStream`: timestamp, then details, then the line, one stdout frame each.
fn logs(req: &Req, lines: Vec<LogLine>) -> Reply {
    let mut out = Vec::new();
    for l in lines {
        let mut line = String::new();
        if req.flag("timestamps") {
            line.push_str(&l.timestamp.rfc3339_nano_fixed());
            line.push(' ');
        }
        if req.flag("details") {
            let attrs: Vec<String> =
                l.attrs.iter().map(|(k, v)| format!("{}={}", wire::escape(k), wire::escape(v))).collect();
            line.push_str(&attrs.join(","));
            line.push(' ');
        }
        line.push_str(&l.text);
        line.push('\n');
        wire::frame(1, line.as_bytes(), &mut out);
    }
    Reply::stream(out)
}
