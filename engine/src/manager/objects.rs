//! swarmkit's control API for secrets and configs (manager/controlapi/secret.go and
//! config.go) and the daemon's lookups around them (daemon/cluster/secrets.go,
//! configs.go): the two differ only in their word, their size limit and whether the
//! daemon gives the data back.

use crate::api::{ApiError, ApiResult, Code, Filters};
use crate::store::{Change, Store};
use crate::types::{Secret, SecretSpec};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Secret,
    Config,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Config => "config",
        }
    }

    /// swarmkit validation.MaxSecretSize / controlapi.MaxConfigSize.
    fn max_size(self) -> usize {
        match self {
            Kind::Secret => 500 * 1024,
            Kind::Config => 1000 * 1024,
        }
    }

    fn map(self, store: &Store) -> &BTreeMap<String, Secret> {
        match self {
            Kind::Secret => &store.secrets,
            Kind::Config => &store.configs,
        }
    }

    /// What the daemon answers with: a secret's data never leaves the manager.
    fn shown(self, mut o: Secret) -> Secret {
        if self == Kind::Secret {
            o.spec.data.clear();
        }
        o
    }
}

/// swarmkit's isValidConfigOrSecretName: 1 to 64 of [a-zA-Z0-9-_.], alphanumeric at
/// both ends.
fn valid_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    name.len() <= 64
        && name.starts_with(ok)
        && name.ends_with(ok)
        && name.chars().all(|c| ok(c) || matches!(c, '-' | '_' | '.'))
}

/// The daemon's `getSecret` / `getConfig`: full ID, then exact name, then ID prefix.
pub fn find<'a>(store: &'a Store, kind: Kind, reference: &str) -> ApiResult<&'a Secret> {
    let map = kind.map(store);
    if let Some(s) = map.get(reference) {
        return Ok(s);
    }
    let by_name: Vec<&Secret> = map.values().filter(|s| s.spec.name == reference).collect();
    let found = if by_name.is_empty() {
        map.values().filter(|s| !reference.is_empty() && s.id.starts_with(reference)).collect()
    } else {
        by_name
    };
    let word = kind.word();
    match found.len() {
        0 => Err(ApiError::not_found(format!("{word} {reference} not found"))),
        1 => Ok(found[0]),
        l => Err(ApiError::invalid(format!("{word} {reference} is ambiguous ({l} matches found)"))),
    }
}

pub fn inspect(store: &Store, kind: Kind, reference: &str) -> ApiResult<Secret> {
    find(store, kind, reference).cloned().map(|o| kind.shown(o))
}

/// `GET /secrets`, `GET /configs`: names (exact), name (prefix), id (prefix), label.
pub fn list(store: &Store, kind: Kind, filters: &Filters) -> ApiResult<Vec<Secret>> {
    filters.validate(&["names", "name", "id", "label"])?;
    let any = |values: &[String], f: &dyn Fn(&String) -> bool| values.is_empty() || values.iter().any(f);
    Ok(kind
        .map(store)
        .values()
        .filter(|s| any(filters.get("names"), &|n| *n == s.spec.name))
        .filter(|s| any(filters.get("name"), &|n| s.spec.name.starts_with(n.as_str())))
        .filter(|s| any(filters.get("id"), &|n| s.id.starts_with(n.as_str())))
        .filter(|s| {
            filters.get("label").iter().all(|kv| match kv.split_once('=') {
                Some((k, v)) => s.spec.labels.get(k).is_some_and(|x| x == v),
                None => s.spec.labels.contains_key(kv.as_str()),
            })
        })
        .cloned()
        .map(|o| kind.shown(o))
        .collect())
}

/// swarmkit CreateSecret / CreateConfig: valid name and payload, unique name.
pub fn create(store: &Store, kind: Kind, id: String, spec: SecretSpec, data_len: usize) -> ApiResult<Vec<Change>> {
    let word = kind.word();
    if spec.name.is_empty() {
        return Err(ApiError::grpc(Code::InvalidArgument, "name must be provided"));
    }
    if !valid_name(&spec.name) {
        return Err(ApiError::grpc(
            Code::InvalidArgument,
            "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]",
        ));
    }
    let max = kind.max_size();
    if spec.driver.is_none() && !(1..max).contains(&data_len) {
        return Err(ApiError::grpc(
            Code::InvalidArgument,
            format!("{word} data must be larger than 0 and less than {max} bytes"),
        ));
    }
    if spec.driver.as_ref().is_some_and(|d| d.name.is_empty()) {
        return Err(ApiError::grpc(Code::InvalidArgument, format!("{word} driver must have a name")));
    }
    if kind.map(store).values().any(|s| s.spec.name == spec.name) {
        return Err(ApiError::grpc(Code::AlreadyExists, format!("{word} {} already exists", spec.name)));
    }
    let object = Box::new(Secret { id, spec, ..Secret::default() });
    Ok(vec![match kind {
        Kind::Secret => Change::CreateSecret(object),
        Kind::Config => Change::CreateConfig(object),
    }])
}

/// swarmkit UpdateSecret / UpdateConfig: by ID, at the version read, labels only.
pub fn update(store: &Store, kind: Kind, id: &str, version: u64, spec: SecretSpec) -> ApiResult<Vec<Change>> {
    let word = kind.word();
    let old =
        kind.map(store).get(id).ok_or_else(|| ApiError::grpc(Code::NotFound, format!("{word} {id} not found")))?;
    if old.version.index != version {
        return Err(ApiError::grpc(Code::Unknown, "update out of sequence"));
    }
    let same_data = spec.data.is_empty() || spec.data == old.spec.data;
    if spec.name != old.spec.name || !same_data {
        return Err(ApiError::grpc(Code::InvalidArgument, "only updates to Labels are allowed"));
    }
    let mut o = old.clone();
    o.spec.labels = spec.labels;
    Ok(vec![match kind {
        Kind::Secret => Change::UpdateSecret(Box::new(o)),
        Kind::Config => Change::UpdateConfig(Box::new(o)),
    }])
}

pub fn remove(store: &Store, kind: Kind, reference: &str) -> ApiResult<Vec<Change>> {
    let object = find(store, kind, reference)?;
    let id = object.id.clone();
    // swarmkit refuses while a service still references it.
    let users: Vec<&str> = store
        .services
        .values()
        .filter(|s| {
            let c = s.spec.container();
            match kind {
                Kind::Secret => c.secrets.iter().any(|r| r.secret_id == id),
                Kind::Config => c.configs.iter().any(|r| r.config_id == id),
            }
        })
        .map(|s| s.spec.name.as_str())
        .collect();
    if !users.is_empty() {
        let which = if users.len() == 1 { "service" } else { "services" };
        return Err(ApiError::grpc(
            Code::InvalidArgument,
            format!("{} '{}' is in use by the following {which}: {}", kind.word(), object.spec.name, users.join(", ")),
        ));
    }
    Ok(vec![match kind {
        Kind::Secret => Change::RemoveSecret { id },
        Kind::Config => Change::RemoveConfig { id },
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_swarmkit() {
        assert!(valid_name("db_pw") && valid_name("a.b-c_d") && valid_name("x"));
        assert!(!valid_name("bad name") && !valid_name("-x") && !valid_name("x.") && !valid_name(&"a".repeat(65)));
    }

    #[test]
    fn configs_keep_their_data_and_secrets_do_not() {
        let mut store = Store::default();
        for kind in [Kind::Secret, Kind::Config] {
            let spec = SecretSpec { name: "x".into(), data: "eA==".into(), ..SecretSpec::default() };
            for c in create(&store, kind, format!("{}1", kind.word()), spec, 1).unwrap() {
                crate::store::apply_change(&mut store, crate::time::Timestamp(1), c).unwrap();
            }
        }
        assert_eq!(inspect(&store, Kind::Secret, "x").unwrap().spec.data, "");
        assert_eq!(inspect(&store, Kind::Config, "x").unwrap().spec.data, "eA==");
        let big = SecretSpec { name: "y".into(), ..SecretSpec::default() };
        let e = create(&store, Kind::Config, "c2".into(), big, 1000 * 1024).unwrap_err();
        assert!(e.message.contains("config data must be larger than 0 and less than 1024000 bytes"));
        assert!(
            create(&store, Kind::Config, "c3".into(), SecretSpec { name: "x".into(), ..Default::default() }, 1)
                .unwrap_err()
                .message
                .contains("config x already exists")
        );
    }
}
