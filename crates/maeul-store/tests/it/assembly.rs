use maeul_core::account::Role;
use maeul_core::autonomy::assembly::{
    Ballot, Booth, BoothKind, Channel, DecisionRule, Eligibility, Item, PaperTally, PricedOption,
    RawChoice, Rules, Tally, Voters, VotingCode, ballot_hash,
};
use maeul_core::region::RegionCode;
use maeul_store::autonomy::assembly::{AssemblyError, Status};

use crate::account::add;
use crate::engines;

fn rules(now: i64) -> Rules {
    Rules::new(Rules {
        title: "2026년 청운효자동 주민총회".into(),
        opens_at: now - 60,
        closes_at: now + 3600,
        advance_opens_at: None,
        eligibility: Eligibility {
            min_age: 16,
            voters: Voters::Residents,
        },
        eligible_population: 1000,
        quorum_basis_points: 50,
        items: vec![
            Item {
                title: "마을 도서관 운영시간 연장".into(),
                rule: DecisionRule::Majority,
            },
            Item {
                title: "주민참여예산 사업".into(),
                rule: DecisionRule::Budget {
                    limit: 10_000_000,
                    options: vec![
                        PricedOption {
                            title: "골목 화단".into(),
                            cost: 6_000_000,
                        },
                        PricedOption {
                            title: "경로당 안전손잡이".into(),
                            cost: 4_000_000,
                        },
                        PricedOption {
                            title: "공유 창고".into(),
                            cost: 5_000_000,
                        },
                    ],
                },
            },
        ],
        booths: vec![Booth {
            name: "찾아가는 투표소".into(),
            kind: BoothKind::Mobile,
        }],
    })
    .unwrap()
}

fn ballot(rules: &Rules, i: usize) -> Ballot {
    let answer = ["yes", "no", "abstain"][i % 3];
    let options: &[&str] = if i.is_multiple_of(2) {
        &["골목 화단", "경로당 안전손잡이"]
    } else {
        &["공유 창고"]
    };
    Ballot::new(
        rules,
        &[
            (Some(0), RawChoice::One(answer.into())),
            (
                Some(1),
                RawChoice::Many(options.iter().map(|s| s.to_string()).collect()),
            ),
        ],
    )
    .unwrap()
}

#[tokio::test]
async fn ballots_count_once_per_resident_across_channels_and_match_the_published_file() {
    for db in engines().await {
        let store = crate::keyed(db.store.clone()).await;
        let officer = add(&store, "lee.officer", Role::CouncilOfficer, "1111051500").await;
        let now = maeul_store::unix_now();
        let emd = RegionCode::parse("1111051500").unwrap();
        let assemblies = store.assemblies();
        let draft = assemblies.create(&emd, rules(now), officer).await.unwrap();
        let id = draft.setup.id;
        assert_eq!(draft.status, Status::Draft);
        assert_eq!(draft.setup.item_ids.len(), 2);
        // A draft may change; its setup is not yet frozen.
        let mut changed = rules(now);
        changed.quorum_basis_points = 100;
        assemblies.update(id, changed).await.unwrap();
        assert!(assemblies.setup(id).await.unwrap().is_none());
        let codes: Vec<(String, VotingCode)> = (0..60)
            .map(|i| (format!("R{i:04}"), VotingCode::generate()))
            .collect();
        assemblies
            .issue_codes(id, codes.clone(), |_| {})
            .await
            .unwrap();
        let open = assemblies.open(id).await.unwrap();
        assert_eq!(open.status, Status::Open);
        assert!(
            matches!(
                assemblies.update(id, rules(now)).await,
                Err(AssemblyError::Frozen)
            ),
            "{}",
            db.name
        );
        assert!(matches!(
            assemblies.open(id).await,
            Err(AssemblyError::Frozen)
        ));
        let setup = assemblies.setup(id).await.unwrap().unwrap();
        assert_eq!(setup.rules.quorum_basis_points, 100);

        // 50 residents vote at once, each of them twice, while the first five of them are
        // also checked in at the booth at the same moment: one participation each.
        let mut tasks = Vec::new();
        for round in 0..2 {
            for (i, (_, code)) in codes.iter().take(50).enumerate() {
                let (store, setup, code) = (store.clone(), setup.clone(), code.clone());
                tasks.push(tokio::spawn(async move {
                    let b = ballot(&setup.rules, i);
                    let r = store
                        .assemblies()
                        .cast(&setup, &code, &b, Channel::Online)
                        .await;
                    (round, i, r.map(|_| b))
                }));
            }
        }
        let booth = setup.rules.booth("찾아가는 투표소").unwrap();
        let mut checkins = Vec::new();
        for (resident, _) in codes.iter().take(5).chain(codes.iter().skip(55)) {
            let (store, setup, booth, resident) = (
                store.clone(),
                setup.clone(),
                booth.clone(),
                resident.clone(),
            );
            checkins.push(tokio::spawn(async move {
                store.assemblies().check_in(&setup, &resident, &booth).await
            }));
        }
        let mut accepted: Vec<Option<Ballot>> = vec![None; 50];
        for t in tasks {
            let (_, i, r) = t.await.unwrap();
            match r {
                Ok(b) => {
                    assert!(
                        accepted[i].is_none(),
                        "{}: resident {i} voted twice",
                        db.name
                    );
                    accepted[i] = Some(b);
                }
                Err(AssemblyError::AlreadyTookPart) => {}
                Err(e) => panic!("{}: {e}", db.name),
            }
        }
        let mut checked_in = 0;
        for t in checkins {
            match t.await.unwrap() {
                Ok(()) => checked_in += 1,
                Err(AssemblyError::AlreadyTookPart) => {}
                Err(e) => panic!("{}: {e}", db.name),
            }
        }
        let online = accepted.iter().flatten().count();
        let booth_residents_who_voted_online = accepted[..5].iter().flatten().count();
        assert_eq!(online + checked_in, 55, "{}: every resident once", db.name);
        assert_eq!(checked_in, 5 + 5 - booth_residents_who_voted_online);

        // A checked-in resident cannot vote online; an unknown code is refused.
        assert!(matches!(
            assemblies.check_in(&setup, "R0059", &booth).await,
            Err(AssemblyError::AlreadyTookPart)
        ));
        assert!(matches!(
            assemblies
                .cast(
                    &setup,
                    &VotingCode::generate(),
                    &ballot(&setup.rules, 0),
                    Channel::Online
                )
                .await,
            Err(AssemblyError::UnknownCode)
        ));

        // The counters equal a recount of the accepted ballots.
        let counted = assemblies.counted(id).await.unwrap();
        let mut recount = Tally::zero(&setup.rules);
        for b in accepted.iter().flatten() {
            recount.add(b);
        }
        assert_eq!(counted.online, recount, "{}", db.name);
        assert_eq!(counted.assembly.participants.online as usize, online);
        assert_eq!(
            counted.assembly.participants.mobile_booth as usize,
            checked_in
        );
        assert_eq!(counted.booths[0].count.checked_in as usize, checked_in);
        assert_eq!(counted.booths[0].count.ballots, None);

        let paper = PaperTally::new(
            &setup.rules,
            checked_in as u64,
            &[("x".into(), Some(0), vec![("yes".into(), checked_in as u64)])],
        )
        .unwrap();
        assemblies
            .enter_paper(&setup, &booth, &paper, officer)
            .await
            .unwrap();
        assert!(matches!(
            assemblies.ballot_file(id).await,
            Err(AssemblyError::NotClosed)
        ));
        let closed = assemblies.close(id).await.unwrap();
        assert_eq!(closed.status, Status::Closed);
        let mut file = assemblies.ballot_file(id).await.unwrap();
        assert_eq!(file.len(), online);
        assert_eq!(closed.ballot_hash, Some(ballot_hash(&mut file)));
        // After closing nothing more is taken.
        assert!(matches!(
            assemblies
                .cast(
                    &setup,
                    &codes[59].1,
                    &ballot(&setup.rules, 0),
                    Channel::Online
                )
                .await,
            Err(AssemblyError::AlreadyTookPart) | Err(AssemblyError::NotOpen)
        ));
        assert!(matches!(
            assemblies
                .cast(
                    &setup,
                    &codes[52].1,
                    &ballot(&setup.rules, 0),
                    Channel::Online
                )
                .await,
            Err(AssemblyError::NotOpen)
        ));
        assert!(matches!(
            assemblies.close(id).await,
            Err(AssemblyError::NotOpen)
        ));
        let tally = assemblies.counted(id).await.unwrap().tally();
        assert_eq!(tally.counts[0][0], recount.counts[0][0] + checked_in as u64);
        assert_eq!(assemblies.counted(id).await.unwrap().online, recount);
        // A booth's tally corrected after closing changes the closed result.
        let corrected = PaperTally::new(
            &setup.rules,
            checked_in as u64,
            &[("x".into(), Some(0), vec![("no".into(), checked_in as u64)])],
        )
        .unwrap();
        assemblies
            .enter_paper(&setup, &booth, &corrected, officer)
            .await
            .unwrap();
        let after = assemblies.counted(id).await.unwrap();
        assert_eq!(
            after.tally().counts[0][0],
            recount.counts[0][0],
            "{}",
            db.name
        );
        assert_eq!(
            after.tally().counts[0][1],
            recount.counts[0][1] + checked_in as u64
        );
        assert_eq!(after.online, recount);

        // The dashboards count the closed assembly, its participants and its electorate.
        let figures = store.dashboards().figures(&emd).await.unwrap().figures;
        assert_eq!(figures["assembly.status:closed"], 1, "{}", db.name);
        assert_eq!(figures["assembly.participants"], 55);
        assert_eq!(figures["assembly.eligible"], 1000);
        assert_eq!(store.dashboards().check().await.unwrap(), vec![]);
    }
}

#[tokio::test]
async fn commands_on_an_unknown_assembly_say_so() {
    for db in engines().await {
        let assemblies = db.store.assemblies();
        assert!(matches!(
            assemblies.open(999).await,
            Err(AssemblyError::NotFound)
        ));
        assert!(matches!(
            assemblies.close(999).await,
            Err(AssemblyError::NotFound)
        ));
        assert!(assemblies.get(999).await.unwrap().is_none());
    }
}
