//! The compose loader never panics, whatever the file holds.

use proptest::prelude::*;
use swarmlab_engine::compose;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("services:".to_string()),
        Just("  web:".to_string()),
        Just("    image: nginx".to_string()),
        Just("    ports:".to_string()),
        Just("      - \"80:80\"".to_string()),
        Just("      - target: 80".to_string()),
        Just("    deploy:".to_string()),
        Just("      replicas: 2".to_string()),
        Just("      resources: {limits: {memory: 10M, cpus: '0.5'}}".to_string()),
        Just("    environment: [A=1, B]".to_string()),
        Just("    networks: {front: {aliases: [x]}}".to_string()),
        Just("networks: {front: {external: true}}".to_string()),
        Just("secrets: {s: {file: ./s}}".to_string()),
        Just("x-a: &a {image: redis}".to_string()),
        Just("  api: {<<: *a}".to_string()),
        Just("version: '3.8'".to_string()),
        Just("    command: ${CMD:-sleep 1}".to_string()),
        "[ -~]{0,24}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn any_file_loads_or_errs(lines in proptest::collection::vec(fragment(), 0..24)) {
        let text = lines.join("\n");
        match compose::load("c.yml", &text, &|_| None) {
            Ok(l) => prop_assert!(l.compose.services.iter().all(|s| !s.image.is_empty())),
            Err(e) => prop_assert!(e.to_string().starts_with("c.yml")),
        }
    }
}
