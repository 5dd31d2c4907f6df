//! The compose loader on arbitrary bytes: parsing, interpolation, validation and the
//! conversion to API specs must return an error, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use swarmlab_engine::compose::{self, convert};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let env = |k: &str| (k == "TAG").then(|| "1.27".to_string());
    let files = [("docker-compose.yml".to_string(), text.to_string())];
    let Ok(loaded) = compose::load_all(&files, &env) else { return };
    let ns = convert::Namespace("x");
    let _ = convert::networks(ns, &loaded.compose);
    let read = |_: &str| Ok(b"data".to_vec());
    let _ = convert::file_objects(ns, &loaded.compose.secrets, "/srv", &read);
    for s in &loaded.compose.services {
        let _ = convert::service(ns, s, &loaded.compose, &env);
        let _ = convert::service_refs(ns, s, &loaded.compose);
    }
});
