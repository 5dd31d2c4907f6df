//! The daemon's JSON against Docker's API models (bollard's, generated from moby's
//! swagger): every answer must decode into the model for its endpoint, and every key
//! the daemon writes must be one the model knows, with a value of the model's type
//! (a key the model does not know would vanish on the way back).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use swarmlab::daemon::routes::route;
use swarmlab::wire::Req;
use swarmlab_engine::sim::{Cluster, ClusterConfig};

fn docker(c: &mut Cluster, idx: usize, args: &str) -> String {
    swarmlab_engine::docker(c, idx, args).stdout
}

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default());
    docker(&mut c, 0, "swarm init --advertise-addr 127.10.0.11");
    let token = docker(&mut c, 0, "swarm join-token -q worker");
    docker(&mut c, 1, &format!("swarm join --token {} 127.10.0.11:2377", token.trim()));
    docker(&mut c, 0, "node update --label-add zone=a node2");
    let create = "service create -d --name web --replicas 3 -p 8080:80 --env A=1 --label x=y \
                  --reserve-memory 64M --limit-cpu 0.5 --constraint node.role!=foo \
                  --placement-pref spread=node.labels.zone --update-parallelism 2 nginx";
    docker(&mut c, 0, create);
    docker(&mut c, 0, "service create -d --name g --mode global -p published=81,target=80,mode=host redis");
    c.run_until_idle();
    docker(&mut c, 0, "service update -d --image nginx:1.27 web");
    let spec = swarmlab_engine::types::SecretSpec {
        name: "db_pw".into(),
        labels: [("team".to_string(), "a".to_string())].into(),
        data: "czNjcmV0".into(),
        ..Default::default()
    };
    swarmlab_engine::api::Api::secret_create(&mut c.client(0), spec.clone()).expect("secret");
    swarmlab_engine::api::Api::config_create(&mut c.client(0), spec).expect("config");
    docker(&mut c, 0, "network create -d overlay --attachable --label team=a back");
    docker(&mut c, 0, "service create -d --name api --network back --replicas 2 nginx");
    c.run_until_idle();
    c
}

/// Fields moby's Go types carry and the real daemon sends, but its swagger (from which
/// the models are generated) leaves out. `PreviousSpec` is what `service rollback` and
/// `service inspect` read.
const SWAGGER_GAPS: &[&str] = &[".PreviousSpec.", ".NetworksAttachments[]."];

/// Every path to a leaf in a JSON value, with the leaf's JSON type.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, &'static str)>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| leaves(v, format!("{path}.{k}"), out)),
        Value::Array(a) => a.iter().for_each(|v| leaves(v, format!("{path}[]"), out)),
        Value::Null => {}
        Value::Bool(_) => out.push((path, "bool")),
        Value::Number(_) => out.push((path, "number")),
        Value::String(_) => out.push((path, "string")),
    }
}

/// Decodes `json` as `T` and checks nothing the daemon wrote was lost or retyped.
fn conforms<T: DeserializeOwned + Serialize>(what: &str, json: &[u8]) {
    let ours: Value = serde_json::from_slice(json).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    let model: T = serde_json::from_value(ours.clone()).unwrap_or_else(|e| panic!("{what}: does not decode: {e}"));
    let back = serde_json::to_value(&model).expect("re-encode");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    leaves(&ours, String::new(), &mut a);
    leaves(&back, String::new(), &mut b);
    let missing: Vec<_> =
        a.iter().filter(|l| !b.contains(l) && !SWAGGER_GAPS.iter().any(|g| l.0.contains(g))).collect();
    assert!(missing.is_empty(), "{what}: keys Docker's model does not know, or of another type: {missing:#?}");
}

fn get(c: &mut Cluster, idx: usize, path: &str, query: &[(&str, &str)]) -> Vec<u8> {
    let mut req = Req::new("GET", path);
    for (k, v) in query {
        req = req.param(k, *v);
    }
    let reply = route(&mut c.client(idx), &req);
    assert_eq!(reply.status, 200, "{path}: {}", String::from_utf8_lossy(&reply.body));
    reply.body
}

#[test]
fn every_answer_has_dockers_shape() {
    use bollard_stubs::models as m;
    let mut c = cluster();
    conforms::<m::SystemVersion>("/version", &get(&mut c, 0, "/version", &[]));
    conforms::<m::SystemInfo>("/info (manager)", &get(&mut c, 0, "/info", &[]));
    conforms::<m::SystemInfo>("/info (outside a swarm)", &get(&mut c, 2, "/info", &[]));
    conforms::<m::Swarm>("/swarm", &get(&mut c, 0, "/swarm", &[]));
    conforms::<Vec<m::Node>>("/nodes", &get(&mut c, 0, "/nodes", &[]));
    conforms::<Vec<m::Service>>("/services?status", &get(&mut c, 0, "/services", &[("status", "true")]));
    conforms::<m::Service>("/services/web", &get(&mut c, 0, "/services/web", &[("insertDefaults", "true")]));
    conforms::<Vec<m::Task>>("/tasks", &get(&mut c, 0, "/tasks", &[]));
    conforms::<Vec<m::Secret>>("/secrets", &get(&mut c, 0, "/secrets", &[]));
    conforms::<m::Secret>("/secrets/db_pw", &get(&mut c, 0, "/secrets/db_pw", &[]));
    conforms::<Vec<m::Config>>("/configs", &get(&mut c, 0, "/configs", &[]));
    conforms::<m::Config>("/configs/db_pw", &get(&mut c, 0, "/configs/db_pw", &[]));
    conforms::<Vec<m::Network>>("/networks", &get(&mut c, 0, "/networks", &[]));
    for net in ["back", "ingress", "bridge", "host"] {
        for node in [0, 1] {
            let path = format!("/networks/{net}");
            conforms::<m::Network>(&format!("{path} on node{}", node + 1), &get(&mut c, node, &path, &[]));
        }
    }
    let containers = get(&mut c, 0, "/containers/json", &[("all", "1")]);
    conforms::<Vec<m::ContainerSummary>>("/containers/json", &containers);
    let list: Value = serde_json::from_slice(&containers).expect("json");
    let id = list[0]["Id"].as_str().expect("a container on node1");
    let inspect = get(&mut c, 0, &format!("/containers/{id}/json"), &[]);
    conforms::<m::ContainerInspectResponse>("/containers/{id}/json", &inspect);
}

#[test]
#[should_panic(expected = "keys Docker's model does not know")]
fn a_misnamed_key_is_caught() {
    // Node has Description.Hostname, not Hostname.
    conforms::<bollard_stubs::models::Node>("bad node", br#"{"ID":"x","Hostname":"node1"}"#);
}

#[test]
#[should_panic(expected = "does not decode")]
fn a_value_of_the_wrong_type_is_caught() {
    conforms::<bollard_stubs::models::Node>("bad node", br#"{"ID":"x","Version":{"Index":"ten"}}"#);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Any request, however malformed, gets an HTTP answer and leaves the cluster usable.
    #[test]
    fn any_request_gets_an_answer(
        method in proptest::prop_oneof![
            proptest::prelude::Just("GET"), proptest::prelude::Just("POST"), proptest::prelude::Just("DELETE"),
        ],
        path in proptest::prop_oneof![
            proptest::prelude::Just("/swarm/init".to_string()), proptest::prelude::Just("/swarm/join".to_string()),
            proptest::prelude::Just("/services/create".to_string()), proptest::prelude::Just("/nodes/node1/update".to_string()),
            proptest::prelude::Just("/services/web/update".to_string()), proptest::prelude::Just("/swarm/update".to_string()),
            proptest::prelude::Just("/distribution/x/json".to_string()), "/[a-z/]{0,20}",
        ],
        query in proptest::collection::vec(("[a-zA-Z]{1,8}", "[ -~]{0,10}"), 0..3),
        body in proptest::prelude::any::<Vec<u8>>(),
        json in proptest::option::of("\\{\"[A-Za-z]{1,10}\": ?(\"[a-z]{0,5}\"|[0-9]{1,4}|\\{\\}|\\[\\]|null)\\}"),
    ) {
        let mut c = cluster();
        let mut req = Req::new(method, &path);
        for (k, v) in &query {
            req = req.param(k, v.clone());
        }
        req.body = json.map(String::into_bytes).unwrap_or(body);
        let reply = route(&mut c.client(0), &req);
        proptest::prop_assert!((200..600).contains(&reply.status));
        let after = route(&mut c.client(0), &Req::new("GET", "/nodes"));
        proptest::prop_assert_eq!(after.status, 200);
    }
}
