//! Trustee keys: wrapping, unwrapping, and what a decryption must not accept.

use anyhow::{ensure, Result};
use conclave_ballot::{
    combine, encrypt_ballot, partial_decrypt, sum_ciphertexts, verify_ballot, verify_partial, Choice,
    Ciphertext, Context, KdfParams, KeyError, OsRng, PartialDecryption, TallyError, TrusteeKeys,
    TrusteeSetup, WrappedSecret, WrappedShare,
};

use crate::support::{choices, context, setup, PASSPHRASES};

/// One verified ciphertext that encrypts 1.
fn one(setup: &TrusteeSetup) -> Result<Ciphertext> {
    let ballot = encrypt_ballot(setup.keys.joint(), &context(), &choices(&[("c", Choice::For)]), &mut OsRng)?;
    Ok(verify_ballot(setup.keys.joint(), &context(), &ballot)?.lines[0].ciphertexts[0])
}

#[test]
fn a_wrong_passphrase_is_refused() -> Result<()> {
    let setup = setup();
    for (k, wrapped) in setup.wrapped.iter().enumerate() {
        let e = wrapped.open("not the passphrase").unwrap_err();
        ensure!(e == KeyError::WrongPassphrase, "trustee {}: expected WrongPassphrase, got {e}", k + 1);
        // Another trustee's passphrase does not open this share either.
        let other = PASSPHRASES[(k + 1) % 3];
        ensure!(wrapped.open(other).unwrap_err() == KeyError::WrongPassphrase, "passphrases are per trustee");
        ensure!(wrapped.open(PASSPHRASES[k])?.index() == k as u8 + 1, "the right passphrase opens it");
    }
    Ok(())
}

#[test]
fn an_edited_wrapped_share_does_not_open() -> Result<()> {
    let setup = setup();
    let original = serde_json::to_value(&setup.wrapped[0])?;
    let edits: [(&str, serde_json::Value); 4] = [
        ("meeting_id", "another meeting".into()),
        ("index", 2.into()),
        ("public_share", serde_json::to_value(setup.keys.share(2).unwrap())?),
        ("kdf", serde_json::json!({"m_kib": 128, "t": 1, "p": 1})),
    ];
    for (field, value) in edits {
        let mut json = original.clone();
        json[field] = value;
        let edited: WrappedShare = serde_json::from_value(json)?;
        let e = edited.open(PASSPHRASES[0]).unwrap_err();
        ensure!(e == KeyError::WrongPassphrase, "editing {field} must break the seal, got {e}");
    }
    Ok(())
}

#[test]
fn recommended_kdf_parameters_are_stored_with_the_share() -> Result<()> {
    let setup = TrusteeSetup::generate("m", ["a", "b", "c"], KdfParams::RECOMMENDED, &mut OsRng)?;
    let json = serde_json::to_value(&setup.wrapped[2])?;
    ensure!(json["kdf"] == serde_json::json!({"m_kib": 65536, "t": 3, "p": 1}), "params in JSON: {json}");
    ensure!(setup.wrapped[2].open("c")?.index() == 3, "opens with the recommended parameters");
    let e = TrusteeSetup::generate("m", ["a", "", "c"], KdfParams::INSECURE_FOR_TESTS, &mut OsRng);
    ensure!(e.unwrap_err() == KeyError::EmptyPassphrase, "an empty passphrase is refused");
    Ok(())
}

#[test]
fn trustee_keys_that_are_not_one_sharing_are_refused() -> Result<()> {
    let setup = setup();
    let mut json = serde_json::to_value(setup.keys)?;
    let shares = json["shares"].as_array_mut().unwrap();
    shares.swap(0, 1);
    ensure!(serde_json::from_value::<TrusteeKeys>(json).is_err(), "swapped share values must be refused");
    let other = crate::support::setup();
    let mixed = [*setup.keys.share(1).unwrap(), *setup.keys.share(2).unwrap(), *other.keys.share(3).unwrap()];
    let e = TrusteeKeys::new(*setup.keys.joint(), mixed).unwrap_err();
    ensure!(e == KeyError::InconsistentKeys, "a share from another setup, got {e}");
    Ok(())
}

#[test]
fn one_trustee_twice_is_refused() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let ct = one(&setup)?;
    let s1 = setup.wrapped[0].open(PASSPHRASES[0])?;
    let p = partial_decrypt(&s1, &setup.keys, &ctx, &ct, &mut OsRng)?;
    let again = partial_decrypt(&s1, &setup.keys, &ctx, &ct, &mut OsRng)?;
    let e = combine(&setup.keys, &ctx, &ct, &[p, again], 1).unwrap_err();
    ensure!(e == TallyError::SameTrustee(1), "expected SameTrustee(1), got {e}");
    Ok(())
}

#[test]
fn a_bad_decryption_proof_is_refused() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let ct = one(&setup)?;
    let other_ct = one(&setup)?;
    let s2 = setup.wrapped[1].open(PASSPHRASES[1])?;
    let s3 = setup.wrapped[2].open(PASSPHRASES[2])?;
    let p2 = partial_decrypt(&s2, &setup.keys, &ctx, &ct, &mut OsRng)?;
    let p3 = partial_decrypt(&s3, &setup.keys, &ctx, &ct, &mut OsRng)?;
    ensure!(combine(&setup.keys, &ctx, &ct, &[p2.clone(), p3.clone()], 1)? == 1, "the honest pair counts 1");

    // A partial decryption of another ciphertext, of another round, or with an edited share.
    let e = verify_partial(&setup.keys, &ctx, &other_ct, &p2).unwrap_err();
    ensure!(e == TallyError::BadDecryptionProof { trustee: 2 }, "other ciphertext, got {e}");
    let e = verify_partial(&setup.keys, &Context::new(ctx.meeting_id.clone(), 9), &ct, &p2).unwrap_err();
    ensure!(e == TallyError::BadDecryptionProof { trustee: 2 }, "other round, got {e}");
    let mut json = serde_json::to_value(&p3)?;
    json["d"] = serde_json::to_value(&p2)?["d"].clone();
    let edited: PartialDecryption = serde_json::from_value(json)?;
    let e = combine(&setup.keys, &ctx, &ct, &[p2.clone(), edited], 1).unwrap_err();
    ensure!(e == TallyError::BadDecryptionProof { trustee: 3 }, "edited d, got {e}");
    let mut relabelled = p3.clone();
    relabelled.trustee = 1;
    let e = combine(&setup.keys, &ctx, &ct, &[p2, relabelled], 1).unwrap_err();
    ensure!(e == TallyError::BadDecryptionProof { trustee: 1 }, "relabelled trustee, got {e}");
    Ok(())
}

#[test]
fn a_share_of_other_keys_is_refused() -> Result<()> {
    let setup = setup();
    let other = crate::support::setup();
    let foreign = other.wrapped[0].open(PASSPHRASES[0])?;
    let e = partial_decrypt(&foreign, &setup.keys, &context(), &one(&setup)?, &mut OsRng).unwrap_err();
    ensure!(e == TallyError::ShareNotInKeys(1), "expected ShareNotInKeys(1), got {e}");
    Ok(())
}

#[test]
fn a_count_above_the_maximum_is_not_found() -> Result<()> {
    let setup = setup();
    let ctx = context();
    let cts = [one(&setup)?, one(&setup)?, one(&setup)?];
    let sum = sum_ciphertexts(&cts);
    let s1 = setup.wrapped[0].open(PASSPHRASES[0])?;
    let s2 = setup.wrapped[1].open(PASSPHRASES[1])?;
    let parts = [
        partial_decrypt(&s1, &setup.keys, &ctx, &sum, &mut OsRng)?,
        partial_decrypt(&s2, &setup.keys, &ctx, &sum, &mut OsRng)?,
    ];
    let e = combine(&setup.keys, &ctx, &sum, &parts, 2).unwrap_err();
    ensure!(e == TallyError::CountNotFound { max: 2 }, "3 is above 2, got {e}");
    ensure!(combine(&setup.keys, &ctx, &sum, &parts, 3)? == 3, "3 is found with max 3");
    Ok(())
}

#[test]
fn a_wrapped_secret_opens_only_with_its_passphrase_and_unedited() -> Result<()> {
    let secret = [7u8; 32];
    let w = WrappedSecret::wrap(
        "meeting-signing-key",
        "m-1",
        [9; 32],
        &secret,
        "chair-pass-1",
        KdfParams::INSECURE_FOR_TESTS,
        &mut OsRng,
    )?;
    ensure!(*w.open("chair-pass-1")? == secret, "the passphrase opens it");
    ensure!(w.open("chair-pass-2").unwrap_err() == KeyError::WrongPassphrase, "another passphrase does not");
    let json = serde_json::to_value(&w)?;
    ensure!(!json.to_string().contains(&hex::encode(secret)), "the secret is not in the clear");
    for (field, value) in [
        ("purpose", serde_json::Value::from("share")),
        ("meeting_id", "m-2".into()),
        ("public", hex::encode([8u8; 32]).into()),
    ] {
        let mut edited = json.clone();
        edited[field] = value;
        let edited: WrappedSecret = serde_json::from_value(edited)?;
        ensure!(
            edited.open("chair-pass-1").unwrap_err() == KeyError::WrongPassphrase,
            "edited {field} opens"
        );
    }
    ensure!(
        WrappedSecret::wrap("p", "m", [0; 32], &secret, "", KdfParams::INSECURE_FOR_TESTS, &mut OsRng)
            .is_err(),
        "an empty passphrase is refused"
    );
    Ok(())
}
