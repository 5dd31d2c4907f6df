//! Names swarmkit gives things (its `naming` package).

/// `naming.Task`: `service.slot.taskid`; a global service's task has no slot and takes
/// its node's ID in its place.
pub fn task(service: &str, slot: u64, node_id: &str, task_id: &str) -> String {
    if slot > 0 { format!("{service}.{slot}.{task_id}") } else { format!("{service}.{node_id}.{task_id}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_task_is_named_by_its_slot_or_for_a_global_service_its_node() {
        assert_eq!(super::task("web", 3, "n1", "t9"), "web.3.t9");
        assert_eq!(super::task("agent", 0, "n1", "t9"), "agent.n1.t9");
    }
}
