//! The rules a meeting votes by (defaults from 人社部令第40号) and the
//! arithmetic of quorum and pass thresholds. No I/O.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the pass threshold is a fraction of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Denominator {
    /// Members present at the meeting (the rule of 人社部令第40号).
    Present,
    /// Members present and not recused from the candidate.
    PresentEligible,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rules {
    /// Quorum: present ≥ ⌈quorum_num / quorum_den × roster⌉.
    pub quorum_num: u32,
    pub quorum_den: u32,
    /// Pass: 同意 ≥ ⌈pass_num / pass_den × denominator⌉.
    pub pass_num: u32,
    pub pass_den: u32,
    pub denominator: Denominator,
    /// Whether an abstention counts as a cast vote (when it does not, it is
    /// taken out of a present-and-eligible denominator).
    pub abstain_counts: bool,
    /// How many rounds a candidate may be voted on.
    pub max_rounds: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            quorum_num: 2,
            quorum_den: 3,
            pass_num: 2,
            pass_den: 3,
            denominator: Denominator::Present,
            abstain_counts: true,
            max_rounds: 2,
        }
    }
}

/// ⌈num / den × n⌉ in exact integer arithmetic.
pub fn ceil_fraction(num: u32, den: u32, n: u32) -> u32 {
    let den = u64::from(den.max(1));
    ((u64::from(num) * u64::from(n)).div_ceil(den)) as u32
}

impl Rules {
    /// Checks the fractions are sensible; returns the field at fault.
    pub fn problem(&self) -> Option<&'static str> {
        if self.quorum_den == 0 || self.quorum_num == 0 || self.quorum_num > self.quorum_den {
            return Some("quorum");
        }
        if self.pass_den == 0 || self.pass_num == 0 || self.pass_num > self.pass_den {
            return Some("pass");
        }
        if self.max_rounds == 0 || self.max_rounds > 10 {
            return Some("max_rounds");
        }
        None
    }

    pub fn quorum(&self, roster: u32) -> u32 {
        ceil_fraction(self.quorum_num, self.quorum_den, roster)
    }
}

/// One candidate's count in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tally {
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
    /// Eligible members who cast no ballot line.
    pub not_voted: u32,
    /// Members eligible to vote on this candidate (present, not recused).
    pub eligible: u32,
    /// The number the threshold is a fraction of.
    pub denominator: u32,
    pub threshold: u32,
    pub passed: bool,
}

/// Counts one candidate: `present` members at the meeting, `eligible` of them
/// not recused, and the ballots cast.
pub fn count(
    rules: &Rules,
    present: u32,
    eligible: u32,
    votes_for: u32,
    against: u32,
    abstain: u32,
) -> Tally {
    let cast = votes_for + against + abstain;
    let denominator = match rules.denominator {
        Denominator::Present => present,
        Denominator::PresentEligible if rules.abstain_counts => eligible,
        Denominator::PresentEligible => eligible.saturating_sub(abstain),
    };
    let threshold = ceil_fraction(rules.pass_num, rules.pass_den, denominator);
    Tally {
        votes_for,
        against,
        abstain,
        not_voted: eligible.saturating_sub(cast),
        eligible,
        denominator,
        threshold,
        // A threshold of 0 (nobody eligible) never passes anyone.
        passed: threshold > 0 && votes_for >= threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_passes_at_exactly_two_thirds() {
        let t = count(&Rules::default(), 25, 25, 17, 8, 0);
        assert_eq!(t.threshold, 17, "⌈2/3 × 25⌉ = 17");
        assert!(t.passed);
    }

    #[test]
    fn tally_fails_one_vote_short() {
        let t = count(&Rules::default(), 25, 25, 16, 9, 0);
        assert!(!t.passed);
    }

    #[test]
    fn exact_thirds_need_no_rounding() {
        assert_eq!(count(&Rules::default(), 21, 21, 14, 0, 0).threshold, 14);
        assert_eq!(count(&Rules::default(), 20, 20, 0, 0, 0).threshold, 14, "⌈13.33⌉");
    }

    #[test]
    fn all_abstain_fails_and_counts_show_as_they_are() {
        let t = count(&Rules::default(), 20, 20, 0, 0, 20);
        assert_eq!((t.abstain, t.not_voted, t.passed), (20, 0, false));
    }

    #[test]
    fn recusals_change_the_denominator_only_when_configured() {
        let present = count(&Rules::default(), 20, 19, 13, 6, 0);
        assert_eq!((present.denominator, present.threshold, present.passed), (20, 14, false));
        let rules = Rules { denominator: Denominator::PresentEligible, ..Rules::default() };
        let eligible = count(&rules, 20, 19, 13, 6, 0);
        assert_eq!((eligible.denominator, eligible.threshold, eligible.passed), (19, 13, true));
    }

    #[test]
    fn abstentions_leave_an_eligible_denominator_when_they_do_not_count() {
        let rules =
            Rules { denominator: Denominator::PresentEligible, abstain_counts: false, ..Rules::default() };
        let t = count(&rules, 20, 20, 12, 2, 3);
        assert_eq!((t.denominator, t.threshold, t.passed, t.not_voted), (17, 12, true, 3));
    }

    #[test]
    fn nobody_eligible_passes_nobody() {
        assert!(
            !count(&Rules { denominator: Denominator::PresentEligible, ..Rules::default() }, 0, 0, 0, 0, 0)
                .passed
        );
    }

    #[test]
    fn quorum_is_two_thirds_of_the_roster_rounded_up() {
        assert_eq!(Rules::default().quorum(25), 17);
        assert_eq!(Rules::default().quorum(24), 16);
    }

    #[test]
    fn count_equals_ballots_for_every_split() {
        // Property over all small splits: the parts add up and pass iff for ≥ threshold.
        for present in 0..=12u32 {
            for f in 0..=present {
                for a in 0..=(present - f) {
                    for ab in 0..=(present - f - a) {
                        let t = count(&Rules::default(), present, present, f, a, ab);
                        assert_eq!(t.votes_for + t.against + t.abstain + t.not_voted, present);
                        assert_eq!(t.passed, t.threshold > 0 && f * 3 >= 2 * present);
                    }
                }
            }
        }
    }
}
