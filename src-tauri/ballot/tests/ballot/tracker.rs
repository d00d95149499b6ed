//! Trackers and the box root.

use anyhow::{ensure, Result};
use conclave_ballot::{box_root, Ballot};

use crate::support::{ballot, setup};

fn is_short_tracker(s: &str) -> bool {
    let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    s.len() == 9
        && s.as_bytes()[4] == b'-'
        && s.chars().enumerate().all(|(i, c)| i == 4 || alphabet.contains(c))
}

#[test]
fn the_tracker_is_the_same_for_the_same_ballot_and_survives_json() -> Result<()> {
    let setup = setup();
    let b = ballot(&setup);
    let reread: Ballot = serde_json::from_str(&serde_json::to_string_pretty(&b)?)?;
    ensure!(reread == b, "the JSON form round-trips");
    ensure!(b.tracker() == reread.tracker(), "same bytes, same tracker");
    ensure!(b.tracker().to_hex().len() == 64, "the full tracker is a SHA-256 in hex");
    let short = b.tracker().short();
    ensure!(is_short_tracker(&short), "short tracker like 7KQ2-M9XD, got {short}");
    ensure!(b.tracker().to_string() == short, "Display is the short form");
    Ok(())
}

#[test]
fn two_encryptions_of_the_same_choices_have_different_trackers() -> Result<()> {
    let setup = setup();
    let (b1, b2) = (ballot(&setup), ballot(&setup));
    ensure!(b1.tracker() != b2.tracker(), "fresh randomness, fresh tracker");
    ensure!(b1.tracker().short() != b2.tracker().short(), "40 bits differ as well (chance 2^-40)");
    Ok(())
}

#[test]
fn the_box_root_ignores_casting_order_but_not_content() -> Result<()> {
    let setup = setup();
    let t: Vec<_> = (0..4).map(|_| ballot(&setup).tracker()).collect();
    let root = box_root(&t);
    let reversed: Vec<_> = t.iter().rev().copied().collect();
    ensure!(box_root(&reversed) == root, "order of casting does not matter");
    ensure!(box_root(&t[..3]) != root, "a missing ballot changes the root");
    let mut doubled = t.clone();
    doubled.push(t[0]);
    ensure!(box_root(&doubled) != root, "a copied ballot changes the root");
    Ok(())
}
