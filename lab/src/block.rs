//! Each running lab's own block of loopback addresses. Two labs on one machine must not
//! share node addresses: the second would bind other ports on the same addresses and
//! a `curl` to one lab's node would answer from the other's containers. A lab holds a
//! listener on its block's marker address (127.K.0.10, no node's) for as long as it
//! runs; the next lab finds it taken and moves on to 127.K+1. The system frees it when
//! the lab ends, however it ends, so there is nothing to clean up.

use std::net::{Ipv4Addr, TcpListener};
use swarmlab_engine::sim::Block;

/// The port held on a block's marker address.
const MARKER_PORT: u16 = 2377;

/// The environment variable that tells a pane's shims their lab's block.
pub const ENV_BLOCK: &str = "SWARMLAB_BLOCK";

/// A block this process holds until the claim is dropped.
#[derive(Debug)]
pub struct Claim {
    pub block: Block,
    _held: Option<TcpListener>,
}

/// The first free block from 127.10 on. Where no block can be held (a system with only
/// 127.0.0.1 on loopback), the default block, unheld: the routing mesh cannot bind
/// there either, and says so.
pub fn claim() -> Claim {
    (10..=254).find_map(claim_at).unwrap_or(Claim { block: Block::default(), _held: None })
}

fn claim_at(second: u8) -> Option<Claim> {
    let block = Block::loopback(second);
    let marker = Ipv4Addr::from(u32::from(block.0) + 10);
    let held = TcpListener::bind((marker, MARKER_PORT)).ok()?;
    Some(Claim { block, _held: Some(held) })
}

/// The block a pane's environment names, else the default one.
pub fn from_env() -> Block {
    std::env::var(ENV_BLOCK).ok().and_then(|b| b.parse().ok()).map(Block).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_labs_hold_different_blocks_and_a_freed_block_is_taken_again() {
        let first = claim();
        let second = claim();
        assert_ne!(first.block, second.block);
        assert!(first._held.is_some() && second._held.is_some(), "loopback blocks can be held here");
        let freed = first.block.0.octets()[1];
        assert!(claim_at(freed).is_none(), "a held block is not taken twice");
        drop(first);
        assert_eq!(claim_at(freed).map(|c| c.block), Some(Block::loopback(freed)));
    }
}
