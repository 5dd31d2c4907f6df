use super::*;

fn three(seed: u64) -> (Group, Entropy) {
    let mut e = Entropy::new(seed);
    let mut g = Group::new(1, &mut e);
    g.add(2, &mut e).expect("add 2");
    g.add(3, &mut e).expect("add 3");
    g.advance(Duration::from_secs(3));
    (g, e)
}

fn data_of(c: &[Committed], member: u64) -> Vec<Vec<u8>> {
    c.iter()
        .filter_map(|x| match x {
            Committed::Entry { member: m, data, .. } if *m == member => Some(data.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_single_manager_leads_and_commits_at_once() {
    let mut e = Entropy::new(1);
    let mut g = Group::new(1, &mut e);
    assert_eq!(g.leader(), Some(1));
    let out = g.propose(1, b"op1".to_vec()).expect("leader");
    assert_eq!(data_of(&out, 1), [b"op1".to_vec()]);
}

#[test]
fn entries_reach_every_manager_in_order() {
    let (mut g, _) = three(7);
    assert_eq!(g.leader(), Some(1));
    let mut all = Vec::new();
    for i in 0..5u8 {
        all.extend(g.propose(1, vec![i]).expect("leader accepts"));
    }
    all.extend(g.advance(Duration::from_secs(2)));
    for m in 1..=3 {
        assert_eq!(data_of(&all, m), (0..5u8).map(|i| vec![i]).collect::<Vec<_>>(), "member {m}");
    }
    assert!(matches!(g.propose(2, vec![9]), Err(ProposeError::NotLeader { leader: Some(1) })));
}

#[test]
fn the_leader_fails_and_another_takes_over_within_the_election_timeout() {
    let (mut g, _) = three(7);
    g.set_up(1, false);
    let mut waited = 0;
    while g.leader().is_none_or(|l| l == 1) && waited < 60 {
        g.advance(Duration::from_secs(1));
        waited += 1;
    }
    let new = g.leader().expect("a new leader");
    assert_ne!(new, 1);
    assert!((10..=25).contains(&waited), "elected after {waited} s");
    let out = g.propose(new, b"after".to_vec()).expect("the new leader commits with 2 of 3");
    assert!(!data_of(&out, new).is_empty());
    // The old leader comes back, steps down and catches up.
    g.set_up(1, true);
    let out = g.advance(Duration::from_secs(5));
    assert_eq!(g.leader(), Some(new));
    assert!(data_of(&out, 1).contains(&b"after".to_vec()), "{out:?}");
}

#[test]
fn without_a_quorum_nothing_commits_until_it_returns() {
    let mut e = Entropy::new(3);
    let mut g = Group::new(1, &mut e);
    g.add(2, &mut e).expect("add 2");
    g.advance(Duration::from_secs(3));
    g.set_up(2, false);
    // check_quorum: the leader steps down once it cannot hear a majority.
    g.advance(Duration::from_secs(30));
    assert_eq!(g.leader(), None);
    assert_eq!(g.propose(1, b"x".to_vec()), Err(ProposeError::NoLeader));
    g.set_up(2, true);
    let mut waited = 0;
    while g.leader().is_none() && waited < 60 {
        g.advance(Duration::from_secs(1));
        waited += 1;
    }
    let l = g.leader().expect("a leader again");
    assert!(g.propose(l, b"y".to_vec()).is_ok());
}

#[test]
fn a_partition_keeps_the_majority_side_writable() {
    let (mut g, _) = three(11);
    g.partition(&BTreeSet::from([1]));
    g.advance(Duration::from_secs(40));
    let l = g.leader().expect("the two-manager side elects");
    assert_ne!(l, 1);
    assert!(g.propose(l, b"majority".to_vec()).is_ok());
    assert!(g.propose(1, b"minority".to_vec()).is_err(), "the lone manager stepped down");
    g.partition(&BTreeSet::new());
    let out = g.advance(Duration::from_secs(5));
    assert!(data_of(&out, 1).contains(&b"majority".to_vec()));
    assert!(g.leaders_seen().iter().map(|(t, _)| t).collect::<BTreeSet<_>>().len() == g.leaders_seen().len());
}

#[test]
fn the_same_seed_and_faults_elect_the_same_way() {
    let run = |seed| {
        let (mut g, _) = three(seed);
        g.set_up(1, false);
        g.advance(Duration::from_secs(30));
        (g.leader(), g.term(2), g.commit_index(2))
    };
    assert_eq!(run(5), run(5));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Fault {
        Down(u64),
        Up(u64),
        Split(u64),
        Heal,
        Wait(u8),
        Propose,
    }

    fn fault() -> impl Strategy<Value = Fault> {
        prop_oneof![
            1 => (1u64..=5).prop_map(Fault::Down),
            2 => (1u64..=5).prop_map(Fault::Up),
            1 => (1u64..=5).prop_map(Fault::Split),
            1 => Just(Fault::Heal),
            2 => (1u8..30).prop_map(Fault::Wait),
            4 => Just(Fault::Propose),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Five managers under random power cuts and partitions: never two leaders in
        /// one term; once all are back and joined, every member holds every entry a
        /// leader acknowledged, in the same order.
        #[test]
        fn acknowledged_entries_survive_and_members_converge(seed in 0u64..1000, faults in prop::collection::vec(fault(), 1..40)) {
            let mut e = Entropy::new(seed);
            let mut g = Group::new(1, &mut e);
            for id in 2..=5 {
                g.add(id, &mut e).expect("add");
            }
            g.advance(Duration::from_secs(2));
            let mut acked: Vec<Vec<u8>> = Vec::new();
            let mut logs: BTreeMap<u64, Vec<Vec<u8>>> = BTreeMap::new();
            let record = |out: Vec<Committed>, logs: &mut BTreeMap<u64, Vec<Vec<u8>>>| {
                for c in out {
                    if let Committed::Entry { member, data, .. } = c {
                        logs.entry(member).or_default().push(data);
                    }
                }
            };
            for (n, f) in faults.into_iter().enumerate() {
                match f {
                    Fault::Down(id) => g.set_up(id, false),
                    Fault::Up(id) => g.set_up(id, true),
                    Fault::Split(id) => g.partition(&BTreeSet::from([id, (id % 5) + 1])),
                    Fault::Heal => g.partition(&BTreeSet::new()),
                    Fault::Wait(s) => { let out = g.advance(Duration::from_secs(u64::from(s))); record(out, &mut logs); }
                    Fault::Propose => {
                        if let Some(l) = g.leader() {
                            let data = format!("op{n}").into_bytes();
                            if let Ok(out) = g.propose(l, data.clone()) {
                                let mine = out.iter().any(|c| matches!(c, Committed::Entry { member, data: d, .. } if *member == l && *d == data));
                                record(out, &mut logs);
                                if mine { acked.push(data); }
                            }
                        }
                    }
                }
            }
            for id in 1..=5 { g.set_up(id, true); }
            g.partition(&BTreeSet::new());
            let out = g.advance(Duration::from_secs(60));
            record(out, &mut logs);
            let terms: BTreeSet<u64> = g.leaders_seen().iter().map(|(t, _)| *t).collect();
            prop_assert_eq!(terms.len(), g.leaders_seen().len(), "two leaders in one term: {:?}", g.leaders_seen());
            let first = logs.get(&1).cloned().unwrap_or_default();
            for id in 1..=5 {
                let log = logs.get(&id).cloned().unwrap_or_default();
                prop_assert_eq!(&log, &first, "member {} diverged", id);
            }
            for a in &acked {
                prop_assert!(first.contains(a), "acknowledged {:?} lost", String::from_utf8_lossy(a));
            }
        }
    }
}
