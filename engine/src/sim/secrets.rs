//! The secret and config calls of a node's daemon, run on the swarm's store.

use super::client::NodeClient;
use crate::api::{ApiError, ApiResult, Filters};
use crate::manager::objects::{self, Kind};
use crate::types::{Secret, SecretSpec};
use base64::Engine;

impl NodeClient<'_> {
    pub(super) fn object_create(&mut self, kind: Kind, spec: SecretSpec) -> ApiResult<String> {
        let (cluster, _) = self.manager_ids()?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(spec.data.as_bytes())
            .map_err(|e| ApiError::invalid(format!("illegal base64 data: {e}")))?;
        let id = self.sim_mut().entropy.id();
        let changes = objects::create(self.store_of(&cluster)?, kind, id.clone(), spec, data.len())?;
        self.commit_settle(&cluster, changes)?;
        Ok(id)
    }

    pub(super) fn object_list(&mut self, kind: Kind, filters: &Filters) -> ApiResult<Vec<Secret>> {
        let (cluster, _) = self.manager_ids()?;
        objects::list(self.store_of(&cluster)?, kind, filters)
    }

    pub(super) fn object_inspect(&mut self, kind: Kind, reference: &str) -> ApiResult<Secret> {
        let (cluster, _) = self.manager_ids()?;
        objects::inspect(self.store_of(&cluster)?, kind, reference)
    }

    pub(super) fn object_update(
        &mut self,
        kind: Kind,
        reference: &str,
        version: u64,
        spec: SecretSpec,
    ) -> ApiResult<()> {
        let (cluster, _) = self.manager_ids()?;
        let store = self.store_of(&cluster)?;
        let id = objects::find(store, kind, reference)?.id.clone();
        let changes = objects::update(store, kind, &id, version, spec)?;
        self.commit_settle(&cluster, changes)
    }

    pub(super) fn object_remove(&mut self, kind: Kind, reference: &str) -> ApiResult<()> {
        let (cluster, _) = self.manager_ids()?;
        let changes = objects::remove(self.store_of(&cluster)?, kind, reference)?;
        self.commit_settle(&cluster, changes)
    }
}
