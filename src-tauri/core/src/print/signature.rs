//! The byte signature of a sealed PDF: a PDF signature field whose CMS
//! signature covers every byte of the file except the signature itself, the
//! way PAdES signatures do, so that any changed byte, any object rewritten
//! and any incremental update appended afterwards fails.
//!
//! The construction, for a second implementation:
//!
//! - The document's catalog has `/AcroForm << /Fields [F] /SigFlags 3 >>`;
//!   `F` is an invisible widget (`/Rect [0 0 0 0]`, `/F 132`) on page 1 with
//!   `/FT /Sig` and `/V S`; `S` is `<< /Type /Sig /Filter /Adobe.PPKLite
//!   /SubFilter /ETSI.CAdES.detached /ByteRange [0 a b c] /Contents <…> >>`.
//! - `a` is the offset of `<` opening `/Contents`, `b` the offset just after
//!   its `>`, and `b + c` is the length of the file: the signed bytes are
//!   `file[0..a] ++ file[b..]`. `/Contents` is the hex of a DER CMS
//!   `ContentInfo` (SignedData, RFC 5652), padded with zeros.
//! - The SignedData is detached (`eContentType` id-data, no `eContent`), has
//!   one SignerInfo with digest SHA-256, signed attributes content-type
//!   (id-data), message-digest (SHA-256 of the signed bytes) and
//!   signing-certificate-v2 (RFC 5035: the SHA-256 of the certificate), and
//!   an ECDSA P-256 / SHA-256 signature over the DER of the signed
//!   attributes (as a SET). The certificate is self-signed for the meeting's
//!   document key (see [`super::seal::pdf_signing_key`]).
//!
//! Verification ([`check`]) accepts exactly one such signature whose byte
//! range ends at the end of the file, and answers with the signer's public
//! key (SEC1, compressed); binding that key to the meeting is the seal's job.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use const_oid::db::rfc5912::{ECDSA_WITH_SHA_256, ID_SHA_256};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Reader, SliceReader};
use lopdf::{dictionary, Object, StringFormat};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use std::time::{Duration, SystemTime};
use x509_cert::attr::Attribute;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::Validity;
use x509_cert::Certificate;

/// Bytes reserved for the CMS signature (a P-256 signature and its
/// certificate take about 900).
const CONTENTS_LEN: usize = 8192;
/// id-aa-signingCertificateV2 (RFC 5035).
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// Placeholders for the byte range, replaced in place once offsets are known.
const RANGE_PLACEHOLDER: [i64; 3] = [1_000_000_001, 1_000_000_002, 1_000_000_003];

/// Why a PDF's byte signature does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No signature field, or one without a signature value.
    Missing,
    /// More than one signature: a document is sealed once.
    Several,
    /// The byte range does not cover the whole file but the signature, or
    /// the file goes on after it (an incremental update).
    Range,
    /// The CMS container cannot be read or is not the one described above.
    Container,
    /// The signed bytes' digest differs from the signed one: a byte changed.
    Digest,
    /// The signature is not the certificate key's.
    Signature,
}

/// A byte signature that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The signer's public key, SEC1 compressed.
    pub key: Vec<u8>,
    /// The signature's `/M` (PDF date) as written, if any.
    pub signed_at: Option<String>,
}

/// The document key's self-signed certificate.
fn certificate(key: &SigningKey, subject: &str, when: SystemTime) -> Option<Certificate> {
    let name = Name::from_str(&format!("CN={},O=Conclave", escape_rdn(subject))).ok()?;
    let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).ok()?;
    let serial: [u8; 8] =
        Sha256::digest(key.verifying_key().to_encoded_point(true).as_bytes())[..8].try_into().ok()?;
    // Positive: the top bit clear.
    let mut serial = serial;
    serial[0] &= 0x7f;
    let validity = Validity {
        not_before: x509_cert::time::Time::try_from(when - Duration::from_secs(86_400)).ok()?,
        not_after: x509_cert::time::Time::try_from(when + Duration::from_secs(50 * 365 * 86_400)).ok()?,
    };
    // A self-issued end-entity certificate: digitalSignature and
    // nonRepudiation, not a CA.
    let profile =
        Profile::Leaf { issuer: name.clone(), enable_key_agreement: false, enable_key_encipherment: false };
    let builder =
        CertificateBuilder::new(profile, SerialNumber::new(&serial).ok()?, validity, name, spki, key).ok()?;
    builder.build::<DerSignature>().ok()
}

/// RFC 4514 escapes for a value in a distinguished name string.
fn escape_rdn(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// signing-certificate-v2 with the SHA-256 of the certificate (SHA-256 is
/// the default algorithm, so it is not written): `SigningCertificateV2 ::=
/// SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }`, `ESSCertIDv2 ::= SEQUENCE {
/// certHash OCTET STRING }`.
fn signing_certificate_v2(cert_der: &[u8]) -> Option<Attribute> {
    let mut der = vec![0x30, 0x26, 0x30, 0x24, 0x30, 0x22, 0x04, 0x20];
    der.extend_from_slice(&Sha256::digest(cert_der));
    let mut values = SetOfVec::new();
    values.insert(Any::from_der(&der).ok()?).ok()?;
    Some(Attribute { oid: ID_SIGNING_CERTIFICATE_V2, values })
}

/// The DER CMS signature of `digest` (SHA-256 of the signed bytes).
fn cms_signature(key: &SigningKey, digest: &[u8], subject: &str, when: SystemTime) -> Option<Vec<u8>> {
    let cert = certificate(key, subject, when)?;
    let cert_der = cert.to_der().ok()?;
    let content = EncapsulatedContentInfo { econtent_type: ID_DATA, econtent: None };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let sha256 = AlgorithmIdentifierOwned { oid: ID_SHA_256, parameters: None };
    let mut signer = SignerInfoBuilder::new(key, sid, sha256.clone(), &content, Some(digest)).ok()?;
    signer.add_signed_attribute(signing_certificate_v2(&cert_der)?).ok()?;
    let info = SignedDataBuilder::new(&content)
        .add_digest_algorithm(sha256)
        .ok()?
        .add_certificate(CertificateChoices::Certificate(cert))
        .ok()?
        .add_signer_info::<SigningKey, DerSignature>(signer)
        .ok()?
        .build()
        .ok()?;
    info.to_der().ok()
}

/// A PDF date, `D:YYYYMMDDHHmmSS+HH'mm'`, for `/M`.
fn pdf_date(when: SystemTime) -> String {
    let t: chrono::DateTime<chrono::Local> = when.into();
    let offset = t.format("%z").to_string();
    let (sign_hours, minutes) = offset.split_at(offset.len().saturating_sub(2));
    format!("D:{}{}'{}'", t.format("%Y%m%d%H%M%S"), sign_hours, minutes)
}

/// `pdf` with a byte signature by `key`; `signer` names the meeting in the
/// certificate and in the signature's `/Name`.
pub fn sign(pdf: &[u8], key: &SigningKey, signer: &str, when: SystemTime) -> Option<Vec<u8>> {
    let mut doc = lopdf::Document::load_mem(pdf).ok()?;
    let range: Vec<Object> = std::iter::once(Object::Integer(0))
        .chain(RANGE_PLACEHOLDER.iter().map(|&n| Object::Integer(n)))
        .collect();
    let sig = doc.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => range,
        "Contents" => Object::String(vec![0; CONTENTS_LEN], StringFormat::Hexadecimal),
        "M" => Object::string_literal(pdf_date(when)),
        "Name" => Object::String(utf16_text(signer), StringFormat::Hexadecimal),
    });
    let first_page = *doc.get_pages().get(&1)?;
    let field = doc.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Sig",
        "T" => Object::string_literal("Conclave seal"),
        "V" => sig,
        "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
        "F" => 132,
        "P" => first_page,
    });
    let page = doc.get_object_mut(first_page).ok()?.as_dict_mut().ok()?;
    match page.get_mut(b"Annots") {
        Ok(Object::Array(annots)) => annots.push(Object::Reference(field)),
        _ => page.set("Annots", vec![Object::Reference(field)]),
    }
    doc.catalog_mut()
        .ok()?
        .set("AcroForm", dictionary! { "Fields" => vec![Object::Reference(field)], "SigFlags" => 3 });
    let mut out = Vec::new();
    doc.save_to(&mut out).ok()?;

    // Where the hole is: the one run of CONTENTS_LEN * 2 zeros in <>.
    let hole = format!("<{}>", "0".repeat(CONTENTS_LEN * 2));
    let a = find(&out, hole.as_bytes(), 0)?;
    let b = a + hole.len();
    if find(&out, hole.as_bytes(), b).is_some() {
        return None;
    }
    let placeholder = RANGE_PLACEHOLDER.map(|n| n.to_string()).join(" ");
    let at = find(&out, placeholder.as_bytes(), a.saturating_sub(4096))?;
    let range = format!("{a} {b} {}", out.len() - b);
    if range.len() > placeholder.len() {
        return None;
    }
    out[at..at + placeholder.len()]
        .copy_from_slice(format!("{range:<width$}", width = placeholder.len()).as_bytes());

    let mut hasher = Sha256::new();
    hasher.update(&out[..a]);
    hasher.update(&out[b..]);
    let cms = cms_signature(key, &hasher.finalize(), signer, when)?;
    let hexed = hex::encode(&cms);
    if hexed.len() > CONTENTS_LEN * 2 {
        return None;
    }
    out[a + 1..a + 1 + hexed.len()].copy_from_slice(hexed.as_bytes());
    Some(out)
}

/// A text string as PDF writes it: UTF-16BE with its byte order mark.
fn utf16_text(s: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The one signature field's value dictionary in `doc`.
fn signature_dict(doc: &lopdf::Document) -> Result<&lopdf::Dictionary, Problem> {
    let resolve = |o: &'_ Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let form = doc.catalog().ok().and_then(|c| c.get(b"AcroForm").ok()).and_then(resolve);
    let fields = form
        .as_ref()
        .and_then(|f| f.as_dict().ok())
        .and_then(|f| f.get(b"Fields").ok())
        .and_then(resolve)
        .and_then(|f| f.as_array().ok().cloned())
        .unwrap_or_default();
    let mut found = Vec::new();
    for field in &fields {
        let Ok(id) = field.as_reference() else { continue };
        let Ok(dict) = doc.get_dictionary(id) else { continue };
        if dict.get(b"FT").ok().and_then(|t| t.as_name().ok()) == Some(b"Sig") {
            found.push(dict);
        }
    }
    // Any other dictionary typed /Sig counts too: a second signature need
    // not be listed in the form to be shown by some viewers.
    let sig_dicts = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Sig"))
        .count();
    match (found.as_slice(), sig_dicts) {
        ([], _) => Err(Problem::Missing),
        ([field], 1) => {
            let v = field.get(b"V").map_err(|_| Problem::Missing)?;
            let id = v.as_reference().map_err(|_| Problem::Missing)?;
            doc.get_dictionary(id).map_err(|_| Problem::Missing)
        }
        _ => Err(Problem::Several),
    }
}

/// Checks the byte signature of `bytes` (parsed as `doc`).
pub fn check(bytes: &[u8], doc: &lopdf::Document) -> Result<Checked, Problem> {
    let sig = signature_dict(doc)?;
    let range: Vec<i64> = sig
        .get(b"ByteRange")
        .and_then(|r| r.as_array())
        .map_err(|_| Problem::Range)?
        .iter()
        .map(|n| n.as_i64())
        .collect::<Result<_, _>>()
        .map_err(|_| Problem::Range)?;
    let [0, a, b, c] = range[..] else { return Err(Problem::Range) };
    let (a, b, c) = (usize::try_from(a), usize::try_from(b), usize::try_from(c));
    let (Ok(a), Ok(b), Ok(c)) = (a, b, c) else { return Err(Problem::Range) };
    if !(a < b && b.checked_add(c) == Some(bytes.len()) && b - a >= 2) {
        return Err(Problem::Range);
    }
    let hole = &bytes[a..b];
    if hole[0] != b'<' || hole[hole.len() - 1] != b'>' {
        return Err(Problem::Range);
    }
    let contents = hex::decode(&hole[1..hole.len() - 1]).map_err(|_| Problem::Range)?;
    // The hole must be this dictionary's /Contents, nothing else.
    if sig.get(b"Contents").and_then(|c| c.as_str()).map_err(|_| Problem::Range)? != contents.as_slice() {
        return Err(Problem::Range);
    }
    let signed_at =
        sig.get(b"M").and_then(|m| m.as_str()).ok().map(|m| String::from_utf8_lossy(m).into_owned());

    let mut hasher = Sha256::new();
    hasher.update(&bytes[..a]);
    hasher.update(&bytes[b..]);
    let digest = hasher.finalize();
    let key = check_cms(&contents, &digest)?;
    Ok(Checked { key, signed_at })
}

/// Checks the CMS container in `/Contents` against the signed bytes'
/// `digest`; answers with the signer's key (SEC1 compressed).
fn check_cms(contents: &[u8], digest: &[u8]) -> Result<Vec<u8>, Problem> {
    let bad = |_| Problem::Container;
    let mut reader = SliceReader::new(contents).map_err(bad)?;
    let info = ContentInfo::decode(&mut reader).map_err(bad)?;
    let rest = reader.read_slice(reader.remaining_len()).map_err(bad)?;
    if rest.iter().any(|&b| b != 0) || info.content_type != ID_SIGNED_DATA {
        return Err(Problem::Container);
    }
    let signed: SignedData = info.content.decode_as().map_err(bad)?;
    if signed.encap_content_info.econtent_type != ID_DATA || signed.encap_content_info.econtent.is_some() {
        return Err(Problem::Container);
    }
    let [signer] = signed.signer_infos.0.as_slice() else { return Err(Problem::Container) };
    if signer.digest_alg.oid != ID_SHA_256 || signer.signature_algorithm.oid != ECDSA_WITH_SHA_256 {
        return Err(Problem::Container);
    }
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else { return Err(Problem::Container) };
    let cert = signed
        .certificates
        .as_ref()
        .into_iter()
        .flat_map(|set| set.0.iter())
        .find_map(|c| match c {
            CertificateChoices::Certificate(cert)
                if cert.tbs_certificate.issuer == sid.issuer
                    && cert.tbs_certificate.serial_number == sid.serial_number =>
            {
                Some(cert)
            }
            _ => None,
        })
        .ok_or(Problem::Container)?;
    let attrs = signer.signed_attrs.as_ref().ok_or(Problem::Container)?;
    let value_of = |oid: ObjectIdentifier| -> Result<&Any, Problem> {
        let attr = attrs.iter().find(|a| a.oid == oid).ok_or(Problem::Container)?;
        match attr.values.as_slice() {
            [one] => Ok(one),
            _ => Err(Problem::Container),
        }
    };
    let content_type: ObjectIdentifier = value_of(ID_CONTENT_TYPE)?.decode_as().map_err(bad)?;
    if content_type != ID_DATA {
        return Err(Problem::Container);
    }
    let signed_digest: OctetString = value_of(ID_MESSAGE_DIGEST)?.decode_as().map_err(bad)?;
    if signed_digest.as_bytes() != digest {
        return Err(Problem::Digest);
    }
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key =
        VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()).map_err(|_| Problem::Container)?;
    let signature = DerSignature::try_from(signer.signature.as_bytes()).map_err(|_| Problem::Signature)?;
    let attrs_der = attrs.to_der().map_err(bad)?;
    key.verify(&attrs_der, &signature).map_err(|_| Problem::Signature)?;
    Ok(key.to_encoded_point(true).as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_slice(&Sha256::digest(b"test key")).expect("a scalar")
    }

    fn tiny_pdf() -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.7");
        let pages = doc.new_object_id();
        let content = doc.add_object(lopdf::Stream::new(dictionary! {}, b"BT ET".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("a tiny PDF");
        out
    }

    #[test]
    fn a_signed_pdf_checks_and_any_byte_or_appendix_breaks_it() {
        let signed = sign(&tiny_pdf(), &key(), "第一次评审会议, 2026", SystemTime::now()).expect("signed");
        let doc = lopdf::Document::load_mem(&signed).expect("parses");
        let ok = check(&signed, &doc).expect("holds");
        assert_eq!(ok.key, key().verifying_key().to_encoded_point(true).as_bytes());

        let at = find(&signed, b"BT ET", 0).expect("the page");
        let mut changed = signed.clone();
        changed[at + 3] = b'T';
        let doc = lopdf::Document::load_mem(&changed).expect("parses");
        assert_eq!(check(&changed, &doc), Err(Problem::Digest));

        let mut appended = signed.clone();
        appended.extend_from_slice(b"\n% an update\n");
        let doc = lopdf::Document::load_mem(&appended).expect("parses");
        assert_eq!(check(&appended, &doc), Err(Problem::Range));

        let doc = lopdf::Document::load_mem(&tiny_pdf()).expect("parses");
        assert_eq!(check(&tiny_pdf(), &doc), Err(Problem::Missing));
    }
}
