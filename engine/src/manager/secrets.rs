//! swarmkit's control API for secrets (manager/controlapi/secret.go) and the daemon's
//! lookups around it (daemon/cluster/secrets.go): validation, lookup, listing.

use crate::api::{ApiError, ApiResult, Code, Filters};
use crate::store::{Change, Store};
use crate::types::{Secret, SecretSpec};

/// swarmkit validation.MaxSecretSize.
const MAX_SECRET_SIZE: usize = 500 * 1024;

/// swarmkit's isValidConfigOrSecretName: 1 to 64 of [a-zA-Z0-9-_.], alphanumeric at
/// both ends.
fn valid_name(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    name.len() <= 64
        && name.starts_with(ok)
        && name.ends_with(ok)
        && name.chars().all(|c| ok(c) || matches!(c, '-' | '_' | '.'))
}

/// The daemon's `getSecret`: full ID, then exact name, then ID prefix.
pub fn find<'a>(store: &'a Store, reference: &str) -> ApiResult<&'a Secret> {
    if let Some(s) = store.secrets.get(reference) {
        return Ok(s);
    }
    let by_name: Vec<&Secret> = store.secrets.values().filter(|s| s.spec.name == reference).collect();
    let found = if by_name.is_empty() {
        store.secrets.values().filter(|s| !reference.is_empty() && s.id.starts_with(reference)).collect()
    } else {
        by_name
    };
    match found.len() {
        0 => Err(ApiError::not_found(format!("secret {reference} not found"))),
        1 => Ok(found[0]),
        l => Err(ApiError::invalid(format!("secret {reference} is ambiguous ({l} matches found)"))),
    }
}

/// `GET /secrets`: names (exact), name (prefix), id (prefix), label filters.
pub fn list(store: &Store, filters: &Filters) -> ApiResult<Vec<Secret>> {
    filters.validate(&["names", "name", "id", "label"])?;
    let any = |values: &[String], f: &dyn Fn(&String) -> bool| values.is_empty() || values.iter().any(f);
    Ok(store
        .secrets
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
        .map(without_data)
        .collect())
}

/// The daemon never gives a secret's content back.
pub fn without_data(mut s: Secret) -> Secret {
    s.spec.data.clear();
    s
}

/// swarmkit CreateSecret: valid name and payload, unique name.
pub fn create(store: &Store, id: String, spec: SecretSpec, data_len: usize) -> ApiResult<Vec<Change>> {
    if spec.name.is_empty() {
        return Err(ApiError::grpc(Code::InvalidArgument, "name must be provided"));
    }
    if !valid_name(&spec.name) {
        return Err(ApiError::grpc(
            Code::InvalidArgument,
            "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]",
        ));
    }
    if spec.driver.is_none() && !(1..MAX_SECRET_SIZE).contains(&data_len) {
        return Err(ApiError::grpc(
            Code::InvalidArgument,
            format!("secret data must be larger than 0 and less than {MAX_SECRET_SIZE} bytes"),
        ));
    }
    if spec.driver.as_ref().is_some_and(|d| d.name.is_empty()) {
        return Err(ApiError::grpc(Code::InvalidArgument, "secret driver must have a name"));
    }
    if store.secrets.values().any(|s| s.spec.name == spec.name) {
        return Err(ApiError::grpc(Code::AlreadyExists, format!("secret {} already exists", spec.name)));
    }
    Ok(vec![Change::CreateSecret(Box::new(Secret { id, spec, ..Secret::default() }))])
}

pub fn remove(store: &Store, reference: &str) -> ApiResult<Vec<Change>> {
    let id = find(store, reference)?.id.clone();
    Ok(vec![Change::RemoveSecret { id }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_swarmkit() {
        assert!(valid_name("db_pw") && valid_name("a.b-c_d") && valid_name("x"));
        assert!(!valid_name("bad name") && !valid_name("-x") && !valid_name("x.") && !valid_name(&"a".repeat(65)));
    }
}
