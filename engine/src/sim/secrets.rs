//! The secret calls of a node's daemon, run on the swarm's store.

use super::client::NodeClient;
use crate::api::{ApiError, ApiResult, Filters};
use crate::manager::secrets as sec;
use crate::types::{Secret, SecretSpec};
use base64::Engine;

impl NodeClient<'_> {
    pub(super) fn secret_create_impl(&mut self, spec: SecretSpec) -> ApiResult<String> {
        let (cluster, _) = self.manager_ids()?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(spec.data.as_bytes())
            .map_err(|e| ApiError::invalid(format!("illegal base64 data: {e}")))?;
        let id = self.sim_mut().entropy.id();
        let changes = sec::create(self.store_of(&cluster)?, id.clone(), spec, data.len())?;
        self.commit_settle(&cluster, changes)?;
        Ok(id)
    }

    pub(super) fn secret_list_impl(&mut self, filters: &Filters) -> ApiResult<Vec<Secret>> {
        let (cluster, _) = self.manager_ids()?;
        sec::list(self.store_of(&cluster)?, filters)
    }

    pub(super) fn secret_inspect_impl(&mut self, reference: &str) -> ApiResult<Secret> {
        let (cluster, _) = self.manager_ids()?;
        sec::find(self.store_of(&cluster)?, reference).cloned().map(sec::without_data)
    }

    pub(super) fn secret_remove_impl(&mut self, reference: &str) -> ApiResult<()> {
        let (cluster, _) = self.manager_ids()?;
        let changes = sec::remove(self.store_of(&cluster)?, reference)?;
        self.commit_settle(&cluster, changes)
    }
}
