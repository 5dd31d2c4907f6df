//! Quorum arithmetic for the requests that change who manages a swarm: demote,
//! `node rm`, `swarm leave` (who leads is Raft's business: see `raft`).

use crate::store::Store;
use std::fmt::Write as _;

pub use crate::raft::quorum;

/// swarmkit raft `CanRemoveMember`: would the managers left after removing `id` still
/// hold a quorum of reachable members? `local` (the node handling the request) counts
/// as reachable.
pub fn can_remove_member(store: &Store, id: &str, local: &str, reachable: &[String]) -> bool {
    let members: Vec<_> = store.managers().map(|n| n.id.as_str()).collect();
    let left = members.iter().filter(|m| **m != id && (**m == local || reachable.iter().any(|r| r == *m))).count();
    left >= quorum(members.len().saturating_sub(1))
}

/// moby `Cluster.Leave`'s refusal for a manager, worded by how many managers remain.
pub fn leave_refusal(store: &Store, has_leader: bool, reachable_ids: &[String]) -> String {
    let mut msg = String::from("You are attempting to leave the swarm on a node that is participating as a manager. ");
    if has_leader {
        let reachable = reachable_ids.len() as i64;
        let unreachable = store.managers().count() as i64 - reachable;
        // moby removingManagerCausesLossOfQuorum / isLastManager
        if reachable - 2 <= unreachable {
            if reachable == 1 && unreachable == 0 {
                msg.push_str("Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ");
                return msg;
            }
            let _ = write!(
                msg,
                "Removing this node leaves {} managers out of {}. Without a Raft quorum your swarm will be inaccessible. ",
                reachable - 1,
                reachable + unreachable
            );
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
    use crate::store::{Change, StoreOp, apply};
    use crate::time::Timestamp;
    use crate::types::{ManagerStatus, Node, Reachability};

    fn store_with_managers(ids: &[&str]) -> Store {
        let mut s = Store::default();
        for id in ids {
            let node = Node {
                id: id.to_string(),
                manager_status: Some(ManagerStatus {
                    leader: false,
                    reachability: Reachability::Reachable,
                    addr: String::new(),
                }),
                ..Node::default()
            };
            apply(&mut s, &StoreOp { at: Timestamp(0), change: Change::CreateNode(Box::new(node)) }).expect("apply");
        }
        s
    }

    #[test]
    fn removing_a_member_keeps_quorum_or_is_refused() {
        let s = store_with_managers(&["a", "b", "c"]);
        assert!(can_remove_member(&s, "c", "a", &["a".into(), "b".into(), "c".into()]));
        // b is down: removing c would leave a alone out of two.
        assert!(!can_remove_member(&s, "c", "a", &["a".into(), "c".into()]));
    }
}
