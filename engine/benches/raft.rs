//! The consensus core alone: five managers committing 10,000 entries (about the size of
//! a store op each) through raft-rs over the simulated network. The target for
//! the whole engine (with 100 workers) is ≤ 200 ms; this is the part Raft adds.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;
use swarmlab_engine::ids::Entropy;
use swarmlab_engine::raft::{Committed, Group};

fn ten_thousand() -> usize {
    let mut e = Entropy::new(1);
    let mut g = Group::new(1, &mut e);
    for id in 2..=5 {
        g.add(id, &mut e).expect("add");
    }
    g.advance(Duration::from_secs(2));
    let mut committed = 0;
    for i in 0..10_000u32 {
        let out = g.propose(1, format!("{{\"op\":{i},\"change\":\"SetTaskStatus\"}}").into_bytes()).expect("leader");
        committed += out.iter().filter(|c| matches!(c, Committed::Entry { member: 1, .. })).count();
    }
    committed
}

fn bench(c: &mut Criterion) {
    assert_eq!(ten_thousand(), 10_000);
    let mut g = c.benchmark_group("raft");
    g.sample_size(10);
    g.bench_function("5 managers commit 10,000 entries", |b| b.iter(ten_thousand));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
