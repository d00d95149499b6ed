//! Trustee passphrases strong enough to guard a key share in a file anyone
//! may copy (design/trust.md, "secrets not in the file, or not guessable
//! from it"). Each trustee's share of the election key is wrapped under
//! their passphrase, so the passphrase is all that stands between a copy of
//! the meeting file and the key: it must survive an offline search. The
//! floor is 80 bits, either drawn by the app ([`generate`]) or, for a
//! passphrase a trustee chose, estimated with zxcvbn ([`check`]).

use crate::error::{Error, Result};
use crate::i18n::Msg;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use zeroize::Zeroizing;

/// The least estimated strength a trustee's passphrase may have.
pub const MIN_BITS: u32 = 80;

/// Characters of a generated passphrase: digits and capitals without the
/// ones read or typed for another (0/O, 1/I/L), so that a slip copied by
/// hand is typed back right. 31 characters: log2(31) ≈ 4.95 bits each.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Groups of [`GROUP`] characters in a generated passphrase.
const GROUPS: usize = 5;
const GROUP: usize = 5;

/// A passphrase drawn for a trustee to copy from a printed slip: five groups
/// of five characters, e.g. `7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA`.
///
/// 25 characters from [`ALPHABET`] hold 25 × log2(31) ≈ 124 bits. Four groups
/// (99 bits) would be enough in truth, but zxcvbn credits random text with
/// only log2(10) ≈ 3.3 bits a character, and each group is measured as a
/// word of its own, so four would be judged near 66 bits; five make a
/// generated passphrase pass [`check`] by zxcvbn's own measure. The draws in
/// which zxcvbn sees a word, a date or a keyboard run (about one in twelve)
/// are drawn again, which takes less than a fifth of a bit.
pub fn generate() -> String {
    loop {
        let candidate = draw();
        if estimated_bits(&candidate, &[]) >= f64::from(MIN_BITS) {
            return candidate.to_string();
        }
    }
}

/// Refuses a passphrase `name` chose when zxcvbn estimates it below
/// [`MIN_BITS`] (its name, a birthday, a common password or a keyboard run
/// count for little). The error names the trustee, never the passphrase or
/// its estimate.
pub fn check(name: &str, passphrase: &str) -> Result<()> {
    if estimated_bits(passphrase, &[name.trim()]) < f64::from(MIN_BITS) {
        return Err(Error::invalid(
            "passphrase",
            Msg::PassphraseWeak { name: name.trim().to_string(), min_bits: MIN_BITS },
        ));
    }
    Ok(())
}

/// A uniformly random passphrase in the generated form (rejection sampling
/// over the OS's bytes: no character is likelier than another).
fn draw() -> Zeroizing<String> {
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = Zeroizing::new(String::with_capacity(GROUPS * (GROUP + 1)));
    let mut byte = Zeroizing::new([0u8; 1]);
    for i in 0..GROUPS * GROUP {
        if i > 0 && i % GROUP == 0 {
            out.push('-');
        }
        loop {
            OsRng.fill_bytes(&mut *byte);
            if usize::from(byte[0]) < limit {
                out.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
                break;
            }
        }
    }
    out
}

/// Words a trustee's passphrase is likely to borrow, besides their name.
const APP_WORDS: [&str; 3] = ["conclave", "trustee", "passphrase"];

/// The strength zxcvbn estimates for `passphrase`, in bits: the lower of
/// its estimate of the whole and the sum of its estimates of the words.
///
/// zxcvbn counts guesses in a `u64`, which saturates near 10^19.3 (64
/// bits): below that its figure is exact and used as is. Above, it cannot
/// tell 65 bits from 200, so the passphrase is measured in windows of
/// [`WINDOW`] characters, which never saturate: each window's best match
/// sequence is kept but for its last match, which may be a word cut by the
/// window's edge and is measured again at the start of the next window. The
/// sum of the kept matches' guesses leaves out zxcvbn's factor for their
/// order, so it errs low: a passphrase is refused, never let through, by it.
fn estimated_bits(passphrase: &str, inputs: &[&str]) -> f64 {
    let mut words: Vec<&str> = inputs.iter().copied().filter(|w| !w.is_empty()).collect();
    words.extend(APP_WORDS);
    let log10 = measured_log10(passphrase, &words).min(by_words_log10(passphrase, &words));
    log10 * std::f64::consts::LOG2_10
}

/// zxcvbn's estimate of `text`, in log10 guesses: its own when exact, else
/// measured window by window.
fn measured_log10(text: &str, words: &[&str]) -> f64 {
    let whole = zxcvbn::zxcvbn(text, words);
    if whole.guesses() < u64::MAX {
        whole.guesses_log10()
    } else {
        windowed_log10(text, words)
    }
}

/// Characters that part the words of a sentence or a diceware passphrase.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || "-_.,;:/|+".contains(c)
}

/// The sum of zxcvbn's estimates of `passphrase`'s words, each measured
/// alone. zxcvbn charges every extra match of a sequence 10^4 guesses, so
/// over a whole sentence ("my very own passphrase for 2025") it finds
/// brute force cheaper than the words and credits the sentence as random
/// text; an attacker tries the words.
fn by_words_log10(passphrase: &str, words: &[&str]) -> f64 {
    passphrase.split(is_separator).filter(|w| !w.is_empty()).map(|w| measured_log10(w, words)).sum()
}

/// Characters measured at once: 10^16 guesses at most, below `u64::MAX`.
const WINDOW: usize = 16;

/// The sum of the log10 guesses of `passphrase`'s matches, window by window.
fn windowed_log10(passphrase: &str, words: &[&str]) -> f64 {
    let chars: Zeroizing<Vec<char>> = Zeroizing::new(passphrase.chars().collect());
    let mut start = 0;
    let mut total = 0.0;
    while start < chars.len() {
        let end = (start + WINDOW).min(chars.len());
        let window: Zeroizing<String> = Zeroizing::new(chars[start..end].iter().collect());
        let measured = zxcvbn::zxcvbn(&window, words);
        let sequence = measured.sequence();
        let keep =
            if end == chars.len() || sequence.len() <= 1 { sequence.len() } else { sequence.len() - 1 };
        let kept = &sequence[..keep];
        let Some(last) = kept.last() else { break };
        total += kept.iter().map(|m| (m.guesses.unwrap_or(1).max(1) as f64).log10()).sum::<f64>();
        start += last.j + 1;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passphrases_pass_and_differ() -> Result<()> {
        let made: Vec<String> = (0..50).map(|_| generate()).collect();
        for p in &made {
            check("监票人甲", p)?;
            assert_eq!(p.len(), GROUPS * GROUP + GROUPS - 1, "five groups of five: {p}");
            assert!(
                p.split('-').all(|g| g.len() == GROUP && g.bytes().all(|b| ALPHABET.contains(&b))),
                "{p}"
            );
        }
        let distinct: std::collections::HashSet<&String> = made.iter().collect();
        assert_eq!(distinct.len(), made.len(), "every draw differs");
        Ok(())
    }

    #[test]
    fn a_draw_is_rarely_drawn_again() {
        let strong = (0..200).filter(|_| estimated_bits(&draw(), &[]) >= f64::from(MIN_BITS)).count();
        // About 92 in 100 pass (measured over 1000 draws).
        assert!(strong >= 160, "most raw draws pass zxcvbn's measure; {strong} of 200 did");
    }

    #[test]
    fn common_and_personal_passphrases_are_refused_naming_the_trustee() {
        for weak in [
            "password123",
            "12345678",
            "zhangsan1965",
            "张三1965",
            "correct horse battery staple",
            "qwertyuiopasdfghjklzxcvbnm1234567890",
            "passwordpasswordpasswordpasswordpassword",
            "chair-pass-1",
        ] {
            let e = check("张三", weak).expect_err(weak);
            for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
                let message = e.message(lang);
                assert!(message.contains("张三"), "the message names the trustee: {message}");
                assert!(message.contains("80"), "the message says the floor: {message}");
                assert!(!message.contains(weak), "the message never repeats the passphrase: {message}");
            }
        }
    }

    #[test]
    fn a_long_random_chosen_passphrase_passes() -> Result<()> {
        check("张三", "vq8#Lm2!xR7&tK4@pW9zN3$cJ6")?;
        Ok(())
    }

    #[test]
    fn a_sentence_is_measured_by_its_words() {
        let e = check("张三", "Tr0ub4dor&3 is my very own passphrase for 2025")
            .expect_err("a sentence of common words");
        assert!(e.message(crate::i18n::Lang::En).contains("张三"));
    }

    #[test]
    fn common_words_run_together_are_measured_as_words() {
        // zxcvbn saturates on this whole (its charge for a sequence of six
        // matches alone is 10^20), so it is measured in windows, whose
        // edges cut words; measured as cut, the words would count as
        // random letters.
        let words = "iloveyouprincesssunshinepasswordfootballbaseball";
        assert_eq!(zxcvbn::zxcvbn(words, &[]).guesses(), u64::MAX, "the whole saturates zxcvbn's count");
        let bits = estimated_bits(words, &[]);
        assert!(bits < f64::from(MIN_BITS), "six common passwords run together are weak, measured {bits:.1}");
    }
}
