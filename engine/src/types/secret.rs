//! moby `api/types/swarm` Secret and Config: the same shape (a config has no driver,
//! and the daemon gives its data back).

use super::Version;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "Options", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretSpec {
    #[serde(rename = "Name", default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Always printed (`{}` when empty), as moby's Annotations.Labels is not omitempty.
    #[serde(rename = "Labels", default)]
    pub labels: BTreeMap<String, String>,
    /// The content, base64 in JSON; the daemon never returns it.
    #[serde(rename = "Data", default, skip_serializing_if = "String::is_empty")]
    pub data: String,
    #[serde(rename = "Driver", default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<Driver>,
    #[serde(rename = "Templating", default, skip_serializing_if = "Option::is_none")]
    pub templating: Option<Driver>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    #[serde(rename = "ID")]
    pub id: String,
    #[serde(rename = "Version", default)]
    pub version: Version,
    #[serde(rename = "CreatedAt", default)]
    pub created_at: Timestamp,
    #[serde(rename = "UpdatedAt", default)]
    pub updated_at: Timestamp,
    #[serde(rename = "Spec", default)]
    pub spec: SecretSpec,
}

/// A config is shaped as a secret without a driver.
pub type Config = Secret;
pub type ConfigSpec = SecretSpec;
