//! 岗位结构比例: when a title has a number of posts, the candidates of that
//! title who reached the pass threshold are ranked by 同意 votes and the
//! first `left` pass. Candidates with the same count straddling the last
//! post are a tie: none of them passes in this round, and the result says
//! they are voted on again — the list's order never decides. No I/O.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Place {
    /// Within the posts: passes.
    Within,
    /// Reached the threshold but ranked after the posts: does not pass.
    Beyond,
    /// Tied at the boundary: a re-vote among the tied decides.
    Tie,
}

impl Place {
    pub fn code(self) -> &'static str {
        match self {
            Place::Within => "within",
            Place::Beyond => "beyond",
            Place::Tie => "tie",
        }
    }
}

/// One ranked candidate: 1-based rank (equal counts share it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Ranked {
    pub candidate_id: String,
    pub name: String,
    pub votes_for: u32,
    pub rank: u32,
    pub place: Place,
}

/// One title's ranking in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Ranking {
    pub title: String,
    pub posts: u32,
    /// Posts not filled by earlier rounds when this round was counted.
    pub left: u32,
    pub ranked: Vec<Ranked>,
}

impl Ranking {
    pub fn tied(&self) -> Vec<&Ranked> {
        self.ranked.iter().filter(|r| r.place == Place::Tie).collect()
    }
}

/// Ranks `reached` — (id, name, 同意) of the candidates who reached the
/// threshold — for `left` posts.
pub fn rank(title: &str, posts: u32, left: u32, reached: &[(String, String, u32)]) -> Ranking {
    let mut sorted: Vec<&(String, String, u32)> = reached.iter().collect();
    // By votes, then by id only to print in a stable order; ties share a place.
    sorted.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let ranked = sorted
        .iter()
        .map(|(id, name, votes)| {
            let above = sorted.iter().filter(|o| o.2 > *votes).count() as u32;
            let same = sorted.iter().filter(|o| o.2 == *votes).count() as u32;
            let place = if above + same <= left {
                Place::Within
            } else if above >= left {
                Place::Beyond
            } else {
                Place::Tie
            };
            Ranked { candidate_id: id.clone(), name: name.clone(), votes_for: *votes, rank: above + 1, place }
        })
        .collect();
    Ranking { title: title.into(), posts, left, ranked }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reached(votes: &[u32]) -> Vec<(String, String, u32)> {
        votes.iter().enumerate().map(|(i, v)| (format!("C{i}"), format!("甲{i}"), *v)).collect()
    }

    fn places(r: &Ranking) -> Vec<(&str, Place)> {
        r.ranked.iter().map(|x| (x.candidate_id.as_str(), x.place)).collect()
    }

    #[test]
    fn the_first_n_by_for_votes_pass_whatever_the_list_order() {
        let r = rank("senior_lab_engineer", 2, 2, &reached(&[14, 18, 16]));
        assert_eq!(places(&r), vec![("C1", Place::Within), ("C2", Place::Within), ("C0", Place::Beyond)]);
        assert_eq!(r.ranked.iter().map(|x| x.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn a_tie_at_the_boundary_passes_nobody_tied_and_is_reported() {
        let r = rank("senior_lab_engineer", 2, 2, &reached(&[18, 15, 15, 14]));
        assert_eq!(
            places(&r),
            vec![("C0", Place::Within), ("C1", Place::Tie), ("C2", Place::Tie), ("C3", Place::Beyond)]
        );
        assert_eq!(r.tied().len(), 2);
        assert_eq!(r.ranked[2].rank, 2, "equal counts share a rank");
    }

    #[test]
    fn a_tie_inside_the_posts_or_below_them_is_no_boundary() {
        let r = rank("t", 3, 3, &reached(&[15, 15, 14, 13]));
        assert!(r.tied().is_empty());
        assert_eq!(places(&r)[3], ("C3", Place::Beyond));
        let r = rank("t", 1, 1, &reached(&[15, 12, 12]));
        assert_eq!(places(&r), vec![("C0", Place::Within), ("C1", Place::Beyond), ("C2", Place::Beyond)]);
        let r = rank("t", 3, 3, &reached(&[15, 12]));
        assert!(r.ranked.iter().all(|x| x.place == Place::Within), "fewer than the posts all pass");
    }

    #[test]
    fn no_post_left_passes_nobody_and_zero_posts_too() {
        let r = rank("t", 2, 0, &reached(&[20, 19]));
        assert!(r.ranked.iter().all(|x| x.place == Place::Beyond));
        let r = rank("t", 0, 0, &reached(&[20]));
        assert_eq!(r.ranked[0].place, Place::Beyond);
    }
}
