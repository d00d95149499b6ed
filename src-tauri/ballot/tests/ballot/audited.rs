//! Audited ballots: the released randomness shows what a ballot encrypted,
//! and randomness that is not the ballot's is refused, naming the line.

use conclave_ballot::{
    encrypt_ballot, encrypt_ballot_revealable, open_audited, verify_ballot, AuditError, Choice, Context,
    OsRng,
};

use crate::support::setup;

fn marks() -> Vec<(String, Choice)> {
    vec![("c-02".into(), Choice::Against), ("c-01".into(), Choice::For), ("王五".into(), Choice::Abstain)]
}

#[test]
fn released_randomness_shows_the_marked_choices() {
    let setup = setup();
    let pk = *setup.keys.joint();
    let ctx = Context::new("m", 1);
    let (ballot, randomness) = encrypt_ballot_revealable(&pk, &ctx, &marks(), &mut OsRng).unwrap();
    verify_ballot(&pk, &ctx, &ballot).expect("an audited ballot is an ordinary valid ballot");
    let opened = open_audited(&pk, &ballot, &randomness).unwrap();
    assert_eq!(
        opened,
        vec![
            ("c-01".into(), Choice::For),
            ("c-02".into(), Choice::Against),
            ("王五".into(), Choice::Abstain)
        ]
    );
    // The JSON form names lines and hex scalars only.
    let json = serde_json::to_value(&randomness).unwrap();
    assert_eq!(json["lines"][0]["candidate"], "c-01");
    assert_eq!(json["lines"][0]["r"][2].as_str().unwrap().len(), 64);
}

#[test]
fn randomness_of_another_ballot_is_refused_naming_the_option() {
    let setup = setup();
    let pk = *setup.keys.joint();
    let ctx = Context::new("m", 1);
    let (ballot, _) = encrypt_ballot_revealable(&pk, &ctx, &marks(), &mut OsRng).unwrap();
    let (_, other) = encrypt_ballot_revealable(&pk, &ctx, &marks(), &mut OsRng).unwrap();
    assert_eq!(
        open_audited(&pk, &ballot, &other),
        Err(AuditError::RandomnessMismatch { candidate: "c-01".into(), option: Choice::For })
    );
    let plain = encrypt_ballot(&pk, &ctx, &marks()[..2], &mut OsRng).unwrap();
    assert_eq!(open_audited(&pk, &plain, &other), Err(AuditError::LinesDiffer));
}
