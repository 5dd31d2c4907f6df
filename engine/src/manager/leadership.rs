//! Who leads a swarm. Until Raft lands, a pure rule with Raft's outcome: the leader
//! stays while reachable; otherwise, if a strict majority of managers is reachable, one
//! of them (drawn from the seeded source) becomes leader; without a majority, nobody.

use crate::store::{Change, Store};
use crate::types::{ManagerStatus, Reachability};

/// Strict majority of `n` managers.
pub fn quorum(n: usize) -> usize {
    n / 2 + 1
}

/// The changes that bring the store's manager statuses in line with who is reachable.
pub fn elect(store: &Store, reachable: &[String], pick: u64) -> Vec<Change> {
    let managers: Vec<_> = store.managers().collect();
    let has_quorum = reachable.len() >= quorum(managers.len());
    let current = store.leader().map(|n| n.id.clone()).filter(|id| reachable.contains(id));
    let leader = match (current, has_quorum) {
        (_, false) => None,
        (Some(id), true) => Some(id),
        (None, true) if reachable.is_empty() => None,
        (None, true) => Some(reachable[(pick % reachable.len() as u64) as usize].clone()),
    };
    managers
        .into_iter()
        .filter_map(|n| {
            let old = n.manager_status.clone()?;
            let reach = if reachable.contains(&n.id) { Reachability::Reachable } else { Reachability::Unreachable };
            let new = ManagerStatus {
                leader: leader.as_deref() == Some(n.id.as_str()),
                reachability: reach,
                addr: old.addr.clone(),
            };
            (new != old).then(|| Change::SetManagerStatus { id: n.id.clone(), status: Some(new) })
        })
        .collect()
}

/// swarmkit raft `CanRemoveMember`: would the managers left after removing `id` still
/// hold a quorum of reachable members? `local` (the node handling the request) counts
/// as reachable.
pub fn can_remove_member(store: &Store, id: &str, local: &str, reachable: &[String]) -> bool {
    let members: Vec<_> = store.managers().map(|n| n.id.as_str()).collect();
    let left = members.iter().filter(|m| **m != id && (**m == local || reachable.iter().any(|r| r == *m))).count();
    left >= quorum(members.len().saturating_sub(1))
}

/// moby `Cluster.Leave`'s refusal for a manager, worded by how many managers remain.
pub fn leave_refusal(store: &crate::store::Store, reachable_ids: &[String]) -> String {
    let mut msg = String::from("You are attempting to leave the swarm on a node that is participating as a manager. ");
    if store.leader().is_some() {
        let reachable = reachable_ids.len() as i64;
        let unreachable = store.managers().count() as i64 - reachable;
        // moby removingManagerCausesLossOfQuorum / isLastManager
        if reachable - 2 <= unreachable {
            if reachable == 1 && unreachable == 0 {
                msg.push_str("Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ");
                return msg;
            }
            msg.push_str(&format!(
                "Removing this node leaves {} managers out of {}. Without a Raft quorum your swarm will be inaccessible. ",
                reachable - 1,
                reachable + unreachable
            ));
        }
    } else {
        msg.push_str("Doing so may lose the consensus of your cluster. ");
    }
    msg.push_str("The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.");
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{StoreOp, apply};
    use crate::time::Timestamp;
    use crate::types::Node;

    fn store_with_managers(ids: &[&str], leader: &str) -> Store {
        let mut s = Store::default();
        for id in ids {
            let node = Node {
                id: id.to_string(),
                manager_status: Some(ManagerStatus {
                    leader: *id == leader,
                    reachability: Reachability::Reachable,
                    addr: String::new(),
                }),
                ..Node::default()
            };
            apply(&mut s, &StoreOp { at: Timestamp(0), change: Change::CreateNode(Box::new(node)) }).expect("apply");
        }
        s
    }

    fn run(store: &mut Store, changes: Vec<Change>) {
        for c in changes {
            apply(store, &StoreOp { at: Timestamp(0), change: c }).expect("apply");
        }
    }

    #[test]
    fn a_reachable_leader_stays() {
        let s = store_with_managers(&["a", "b", "c"], "a");
        assert!(elect(&s, &["a".into(), "b".into(), "c".into()], 7).is_empty());
    }

    #[test]
    fn losing_the_leader_elects_another_when_quorum_holds() {
        let mut s = store_with_managers(&["a", "b", "c"], "a");
        let ch = elect(&s, &["b".into(), "c".into()], 1);
        run(&mut s, ch);
        let leader = s.leader().map(|n| n.id.clone());
        assert!(leader == Some("b".into()) || leader == Some("c".into()));
        assert_eq!(s.nodes["a"].manager_status.as_ref().map(|m| m.reachability), Some(Reachability::Unreachable));
    }

    #[test]
    fn no_quorum_no_leader() {
        let mut s = store_with_managers(&["a", "b"], "a");
        let ch = elect(&s, &["b".into()], 0);
        run(&mut s, ch);
        assert!(s.leader().is_none());
    }

    #[test]
    fn removing_a_member_keeps_quorum_or_is_refused() {
        let s = store_with_managers(&["a", "b", "c"], "a");
        assert!(can_remove_member(&s, "c", "a", &["a".into(), "b".into(), "c".into()]));
        // b is down: removing c would leave a alone out of two.
        assert!(!can_remove_member(&s, "c", "a", &["a".into(), "c".into()]));
    }
}
