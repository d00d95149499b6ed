//! English message table.

use super::msg::KeyKind;
use super::{size, JsonType, Msg};

pub(super) fn render(m: &Msg) -> String {
    match m {
        Msg::MeetingNameEmpty => "The meeting name must not be empty".into(),
        Msg::TextTooLong { max, len } => {
            format!("Text too long: {len} characters, at most {max} allowed")
        }
        Msg::DateInvalid { value } => {
            format!("Date \"{value}\" is not valid: expected a real date as YYYY-MM-DD")
        }
        Msg::LevelInvalid { value } => format!(
            "Committee level \"{value}\" is not valid: expected senior, intermediate or junior"
        ),
        Msg::MeetingNotFound { id } => format!("Meeting {id} not found"),
        Msg::DatabaseTooNew { found, supported } => format!(
            "This meeting file was written by a newer version of Conclave (data format {found}; this version reads up to {supported}); upgrade to open it"
        ),
        Msg::DatabaseFailed { detail } => format!("Database operation failed: {detail}"),
        Msg::FileFailed { path, detail } => format!("Cannot read or write \"{path}\": {detail}"),
        Msg::AuditChainBroken { seq } => format!(
            "Audit log entry {seq} does not match the hash of the entry before it: \
             the log was edited, deleted from or reordered"
        ),
        Msg::WrongType { expected, found } => format!("Wrong type: expected {}, found {}", ty(*expected), ty(*found)),
        Msg::UnknownKey { key } => format!("Unknown key \"{key}\" (kept; does not block the import)"),
        Msg::FieldMissing { field } => format!("Required field \"{field}\" is missing"),
        Msg::TextEmpty => "Must not be empty".into(),
        Msg::NotInList { value, allowed } => format!("\"{value}\" is not an allowed value (one of: {allowed})"),
        Msg::PartialDateInvalid { value } => {
            format!("Date \"{value}\" is not valid: expected a real date as YYYY-MM-DD, YYYY-MM or YYYY")
        }
        Msg::DateTimeInvalid { value } => format!("Time \"{value}\" is not valid: expected e.g. 2025-11-20T09:00:00+08:00"),
        Msg::IdInvalid { value } => format!("Identifier \"{value}\" is not valid: 1–64 letters, digits or . _ -"),
        Msg::IntOutOfRange { value, min, max } => format!("{value} is out of range ({min}–{max})"),
        Msg::FormatWrong { expected, found } => format!("Format must be \"{expected}\", found {found}"),
        Msg::DuplicateCandidate { id } => format!("Candidate id \"{id}\" appears twice in the package"),
        Msg::DuplicateAchievement { id } => format!("Achievement id \"{id}\" appears twice for this candidate"),
        Msg::DuplicateMember { id } => format!("Member id \"{id}\" appears twice"),
        Msg::ChairCount { count } => format!("The roster must have exactly one chair; it has {count}"),
        Msg::NotATitle { value } => format!("\"{value}\" is not a title of the lab-technician series"),
        Msg::NotACategory { value } => format!("\"{value}\" is not an achievement category"),
        Msg::Sha256Invalid { value } => format!("Hash \"{value}\" is not valid: expected 64 lowercase hex digits (SHA-256)"),
        Msg::JsonSyntax { line, column, detail } => format!("JSON syntax error (line {line}, column {column}): {detail}"),
        Msg::JsonTooDeep { line, column } => {
            format!("JSON nested too deeply (line {line}, column {column}); the file is damaged or hostile")
        }
        Msg::EntryOutside { path } => format!("Zip entry or path \"{path}\" points outside the package; refused"),
        Msg::EntryNameInvalid { path } => format!("Path \"{path}\" is not valid (a /-separated relative path without empty segments or control characters)"),
        Msg::EntryNameUndecodable { index } => format!("The name of zip entry {index} is neither UTF-8 nor GBK"),
        Msg::EntryEncrypted { path } => format!("Zip entry \"{path}\" is encrypted and cannot be read"),
        Msg::FileUnreadable { path, detail } => format!("Cannot read \"{path}\": {detail}"),
        Msg::SymlinkRefused { path } => format!("\"{path}\" is a symbolic link; refused"),
        Msg::TooDeep { path } => format!("Folder \"{path}\" is nested too deeply"),
        Msg::DuplicateEntry { path, other } => format!("\"{path}\" and \"{other}\" are the same path (differing only in case); refused"),
        Msg::TooManyEntries { max } => format!("The package has more than {max} files"),
        Msg::NotRegularFile { path } => format!("\"{path}\" is not a regular file"),
        Msg::PackageTooLarge { size: s, max } => format!("The package unpacks to {}, above the limit of {}", size(*s), size(*max)),
        Msg::ZipCorrupt { file, detail } => format!("Zip file \"{file}\" is damaged or truncated: {detail}"),
        Msg::FileTooLarge { path, size: s, max } => format!("File \"{path}\" is {}, above the limit of {}", size(*s), size(*max)),
        Msg::ZipBomb { path, ratio, max } => {
            format!("Zip entry \"{path}\" has a compression ratio of {ratio}:1, above {max}:1 (a zip bomb?); refused without inflating it")
        }
        Msg::SizeMismatch { path, declared } => format!("Zip entry \"{path}\" does not match its declared size of {declared} bytes; refused"),
        Msg::FileMissing { path } => format!("File \"{path}\" is not in the package"),
        Msg::NotAPackage { path } => format!("\"{path}\" is not a package: expected a folder with dossier.json or candidates.xlsx (or .xls), a zip file, or a committee roster"),
        Msg::ManifestMissing => "The package root has no dossier.json or candidates.xlsx (or .xls)".into(),
        Msg::SameFileTwoHashes { path } => format!("File \"{path}\" is referenced several times with different hashes"),
        Msg::OsFilesSkipped { count, names } => {
            format!("Skipped {count} files the operating system added (not evidence, not imported): {names}")
        }
        Msg::UnreferencedFile { path } => format!("File \"{path}\" is not referenced by any candidate (does not block the import)"),
        Msg::FileTypeRefused { path } => format!("File \"{path}\" is not a PDF, JPEG or PNG (judged by its content)"),
        Msg::HashMismatch { path } => format!("File \"{path}\" does not match its hash (damaged or replaced?)"),
        Msg::Cancelled => "Import cancelled; the meeting is unchanged".into(),
        Msg::SpreadsheetTooLarge { file, part, detail } => {
            format!("Spreadsheet \"{file}\": part \"{part}\" declares sizes beyond what a form needs ({detail}); it may be damaged or crafted and was not read")
        }
        Msg::SpreadsheetUnreadable { file, detail } => format!("Cannot read spreadsheet \"{file}\": {detail}"),
        Msg::SheetMissing { sheet } => format!("The spreadsheet has no sheet \"{sheet}\""),
        Msg::UnknownColumn { sheet, column } => format!("Column \"{column}\" of sheet \"{sheet}\" is not recognised (ignored)"),
        Msg::CellNotInteger { value } => format!("\"{value}\" is not a whole number"),
        Msg::CellNotBoolean { value } => format!("\"{value}\" is not yes/no (是/否)"),
        Msg::UnknownCandidate { id } => format!("Candidate id \"{id}\" is not on the 申报人 sheet"),
        Msg::CandidateExists { id, other, this } => format!(
            "Candidate id \"{id}\" of package \"{this}\" was already imported into this meeting from package \"{other}\""
        ),
        Msg::AlreadyImported { when } => format!("This package was already imported into this meeting on {when}; nothing to do"),
        Msg::RosterAlreadyImported => "A committee roster is already imported into this meeting".into(),
        Msg::CliPackage { path } => format!("Package: {path}"),
        Msg::CliKind { committee } => format!("Kind: {}", if *committee { "committee roster" } else { "dossier package" }),
        Msg::CliCounts { candidates, members, files, bytes } => {
            if *members > 0 {
                format!("{members} committee members")
            } else {
                format!("{candidates} candidates, {files} evidence files, {} in all", size(*bytes))
            }
        }
        Msg::CliErrors { count } => format!("{count} errors:"),
        Msg::CliWarnings { count } => format!("{count} warnings:"),
        Msg::CliVerdict { ok } => (if *ok { "Verdict: can be imported" } else { "Verdict: cannot be imported; fix the errors above and try again" }).into(),
        Msg::CliImported => "Imported into the meeting".into(),
        Msg::CliMeetingMissing { path } => format!("Meeting file \"{path}\" does not exist or is not a Conclave meeting"),
        Msg::CandidateNotFound { id } => format!("Candidate {id} not found"),
        Msg::EvidenceChanged { sha256 } => format!("This evidence file was changed after import (hash {}… no longer matches); it is not shown", sha256.chars().take(12).collect::<String>()),
        Msg::EvidenceMissing { sha256 } => format!("This evidence file is missing from the meeting folder ({}…)", sha256.chars().take(12).collect::<String>()),
        Msg::NoRoster => "No committee roster has been imported".into(),
        Msg::MemberNotFound { id } => format!("The roster has no member {id}"),
        Msg::RulesFrozen => "The first voting round has opened; the rules are frozen".into(),
        Msg::RulesInvalid { field } => format!("Rule \"{field}\" is not sensible (fractions between 0 and 1, rounds 1–10)"),
        Msg::NoQuorum { present, needed } => format!("{present} members present, below the quorum of {needed}: voting cannot open"),
        Msg::NoChairPresent => "Neither the chair nor a vice chair is present: voting cannot open".into(),
        Msg::RoundAlreadyOpen { id } => format!("Round {id} is still open; close it first"),
        Msg::NoCandidatesForRound => "No candidate to vote on".into(),
        Msg::MaxRoundsReached { id, max } => format!("Candidate {id} has been voted on {max} times, the most the rules allow"),
        Msg::ReasonRequired { id } => format!("Candidate {id} was voted on before; a re-vote needs a reason"),
        Msg::RoundNotFound { id } => format!("Round {id} not found"),
        Msg::RoundNotOpen { id } => format!("Round {id} is closed; no more ballots"),
        Msg::RoundNotClosed { id } => format!("Round {id} is still open"),
        Msg::RoundAlreadyConfirmed { id } => format!("Round {id} is already confirmed"),
        Msg::NotPresent { name } => format!("{name} is not signed in (or has left) and cannot vote; no proxy or late votes"),
        Msg::AlreadyVoted { name } => format!("{name} has already voted in this round"),
        Msg::NothingToVote { name } => format!("{name} has no candidate to vote on in this round (all recused)"),
        Msg::BallotIncomplete { candidate } => format!("No choice (for / against / abstain) for candidate {candidate}"),
        Msg::BallotUnexpected { candidate } => format!("Candidate {candidate} is not on this member's ballot"),
        Msg::TerminalCardUsed => "This terminal card has already paired a terminal; a card pairs once. To use another device, or if it was not you, ask the secretary for a new card (which ends the old card and its terminal)".into(),
        Msg::TerminalTokenUnknown => "This terminal card is not valid: it was re-issued or revoked, or the link is incomplete. Ask the secretary for a new card".into(),
        Msg::TerminalNotPaired => "This terminal is not paired, or its pairing ended: scan the QR code on your terminal card".into(),
        Msg::TerminalForbidden => "A terminal cannot do this".into(),
        Msg::TerminalTooFast => "Too many requests: wait a moment and try again".into(),
        Msg::NoTerminalRound => "No round is open for voting on terminals".into(),
        Msg::TerminalUrlUnknown => "Terminal cards carry the meeting-room address: start the meeting-room network first, or give the address (--url https://HOST:PORT/t/)".into(),
        Msg::TerminalUrlInvalid { url } => format!("The address {url} is not valid: it must start with https://, e.g. https://192.168.1.10:8443/t/"),
        Msg::ServerNotStarted { detail } => format!("The meeting-room network did not start: {detail}"),
        Msg::ServerFingerprint { fingerprint } => format!("Certificate fingerprint (SHA-256): {fingerprint}"),
        Msg::TerminalRevoked => "revoked".into(),
        Msg::TerminalPaired => "paired".into(),
        Msg::TerminalIssued => "card issued, not paired".into(),
        Msg::TerminalNoCard => "no card".into(),
        Msg::WrongPin => "Wrong PIN".into(),
        Msg::SecretaryPinNeeded => "The secretary's PIN is needed".into(),
        Msg::SecretaryPinWrong => "Wrong secretary's PIN".into(),
        Msg::SecretaryPinNotSet => {
            "This meeting has no secretary's PIN: the member unlocks with their own PIN, or set the secretary's PIN first".into()
        }
        Msg::SecretaryPinFormat => "The secretary's PIN must be 6 to 12 digits".into(),
        Msg::SecretaryPinMismatch => "The secretary's PIN was typed differently the second time".into(),
        Msg::StationCooling { tries, seconds } => format!("{tries} wrong PINs in a row: the station waits; try again in {seconds} s"),
        Msg::StationLocked => "The station is locked: unlock it with a PIN first (the member's, or the secretary's)".into(),
        Msg::ChairPinNeeded => {
            "This needs the chair's PIN (a vice chair's when the chair is absent or recused)".into()
        }
        Msg::NotChair { name } => format!(
            "{name} is not the chair: this needs the chair's PIN (a vice chair's when the chair is absent or recused)"
        ),
        Msg::RecusedHere { name, candidates } => {
            format!("{name} is recused for {candidates} and cannot preside over this; a vice chair's PIN is needed")
        }
        Msg::VerifyNotPdf => "The file is not a readable PDF".into(),
        Msg::VerifyNoSeal => "The file carries no Conclave seal (not printed by Conclave, or the seal was removed)".into(),
        Msg::VerifyBadSignature => "The signature is invalid: the sealed data was changed or not signed by this key".into(),
        Msg::VerifyContentChanged => "The pages do not match the sealed data: the printed content was changed".into(),
        Msg::VerifyNoByteSignature => {
            "The file has no byte signature: not a sealed document printed by this version of Conclave, or the signature was removed".into()
        }
        Msg::VerifyChangedAfterSigning => {
            "The file was appended to or rewritten after it was signed (an incremental update): not the sealed original".into()
        }
        Msg::VerifyBytesChanged => "The file's bytes do not match its signature: it was changed after sealing".into(),
        Msg::VerifySeveralSignatures => "The file carries more than one signature: a sealed document is signed once".into(),
        Msg::VerifyAuthentic { meeting, document, code, key } => {
            format!("Authentic and unchanged: {meeting}, {document}; code {code}; meeting key {key} (compare it with the fingerprint printed on the signed minutes)")
        }
        Msg::VerifyDocResults { round } => format!("results of round {round}"),
        Msg::ScanNotImage => "The image cannot be read: give a PNG or JPEG photo or scan of the page".into(),
        Msg::ScanNoCode => {
            "No readable Conclave page QR code in the image: photograph or scan the whole page, the code sharp, without glare, not covered".into()
        }
        Msg::ScanBadSignature => "The page QR code's signature is invalid: its content was changed or it was not printed under the meeting's seal".into(),
        Msg::ScanPage { page, pages, code } => format!("page {page} of {pages} · verification code {code}"),
        Msg::ScanAuthentic { meeting, document, key } => format!(
            "Page QR code authentic: {meeting} · {document}\nMeeting key fingerprint: {key} (compare with the signed minutes)\nThe page must show these rows; compare them line by line with the paper:"
        ),
        Msg::VerifyDocMinutes => "minutes".into(),
        Msg::VerifyDocPublicity => "public notice list".into(),
        Msg::NobodyPresent => "Nobody has signed in yet".into(),
        Msg::PaperRound { id } => format!("Round {id} is voted on paper, not at the voting station"),
        Msg::NotPaperRound { id } => format!("Round {id} is not a paper round"),
        Msg::PaperNotAgreed { id } => {
            format!("Round {id} is voted on paper: it is counted when two scrutineers' entries agree")
        }
        Msg::PaperTooMany { candidate, total, max } => format!(
            "{candidate}: for, against and abstain add up to {total}, more than the {max} members present and not recused"
        ),
        Msg::ScrutineerMissing => "The scrutineer entering the counts types their own PIN".into(),
        Msg::SameScrutineer { name } => format!("The two entries must be made by two different scrutineers: {name} made the other"),
        Msg::ReadOnlyArchive => "This meeting was opened from an archive: it can be read, not changed".into(),
        Msg::ArchiveWritten { files, bytes } => format!("Archive written: {files} files, {}", super::size(*bytes)),
        Msg::ArchiveAuthentic { meeting, files, ballots, proofs, key } => format!(
            "Archive authentic and complete: {meeting}; hashes of {files} files, signature, audit chain, ballots and results all check ({ballots} encrypted ballots and {proofs} proofs checked again); meeting key {key} (compare it with the fingerprint printed on the signed minutes)"
        ),
        Msg::ArchiveUnreadable { detail } => format!("Not a readable archive (zip): {detail}"),
        Msg::ArchiveNoIndex => "The archive has no readable signed index (index.json / index.sig)".into(),
        Msg::ArchiveBadSignature => "The archive index's signature is invalid: the index was changed or not signed by the meeting key".into(),
        Msg::ArchiveKeyMismatch => "The public key differs from the meeting key in the archive index".into(),
        Msg::ArchiveUnlisted { path } => format!("{path}: not in the index (added or duplicated)"),
        Msg::ArchiveChanged { path } => format!("{path}: content does not match its hash in the index (changed)"),
        Msg::ArchiveMissing { path } => format!("{path}: listed in the index but missing"),
        Msg::ArchiveBallotsDisagree { round, candidate } => {
            format!("Round {round}, {candidate}: the ballots do not add up to the result")
        }
        Msg::ArchiveNotAuthentic { problems } => format!("The archive failed verification and cannot be opened: {problems}"),
        Msg::CliSecretMissing { what } => format!("Standard input has no {what} (one per line; never put it in the arguments)"),
        Msg::CliChoiceInvalid { item } => {
            format!("Cannot read the choice \"{item}\": write CANDIDATE=for|against|abstain, separated by commas")
        }
        Msg::CliSignedIn { member, present } => {
            format!("{member}: {}", if *present { "signed in" } else { "left" })
        }
        Msg::CliRecusalsProposed { count } => format!("{count} new recusals proposed, to be decided"),
        Msg::CliRecusalSet { member, candidate, confirmed } => {
            format!("{member} / {candidate}: {}", if *confirmed { "recused" } else { "no recusal needed" })
        }
        Msg::CliRecusalMemberCandidate => "Give --all, or both --member and --candidate for one recusal".into(),
        Msg::CliRoundOpened { id } => format!("Round {id} is open"),
        Msg::CliCast { round, closed } => format!(
            "Ballot cast (round {round}){}",
            if *closed { "; every eligible member has voted, the round is closed and counted" } else { "" }
        ),
        Msg::CliRoundClosed { id } => format!("Round {id} is closed and counted"),
        Msg::CliRoundConfirmed { id } => format!("Round {id}'s results are confirmed"),
        Msg::CliNoDataDir => "This machine has no app-data folder: set CONCLAVE_DATA_DIR".into(),
        Msg::NoDisplay => "Conclave's window needs a graphical desktop (no display found: DISPLAY / WAYLAND_DISPLAY are not set). The command line works without one: conclave --help".into(),
        Msg::NoWebView2 => "Conclave's window needs the Microsoft Edge WebView2 Runtime, which is not installed on this computer. Windows 11 and most Windows 10 have it; otherwise install Microsoft's \"WebView2 Runtime, Evergreen\": https://developer.microsoft.com/microsoft-edge/webview2/ (for a computer without internet, download the \"Standalone Installer x64\" elsewhere and copy it over). The command line works without it: conclave --help".into(),
        Msg::NoWindowBuild => "This conclave is the build without the window (the command line and the meeting-room network only). Usage: conclave --help; for the window, install the full Conclave.".into(),
        Msg::CliNoArchives => "No archive (.zip file) was found to verify.".into(),
        Msg::CliVerifyManyHead => "File\tMeeting\tDate\tCommittee\tConfirmed rounds\tReached the threshold\tVerification".into(),
        Msg::CliVerifyManyOk => "authentic".into(),
        Msg::CliVerifyManyFailed { steps, problem } => format!("NOT authentic ({steps}): {problem}"),
        Msg::CliVerifyManyTotal { total, bad } => format!("{total} archives, {bad} not authentic."),
        Msg::PrintHoldsSecrets => "PIN slips and terminal cards hold secrets and are not printed through the system viewer: use \"Save PDF\" to a place you choose (a USB stick, say), then print.".into(),
        Msg::NoPdfViewer { path } => format!("No program for PDF files was found on this computer. The file is saved at {path}: open it with any PDF reader and print."),
        Msg::PinWord => "PIN".into(),
        Msg::SecretaryPinWord => "the secretary's PIN".into(),
        Msg::ChairPinWord => "the chair's PIN".into(),
        Msg::StoredRowInvalid { table, key, detail } => format!("The meeting file is damaged: row {key} of table {table} cannot be read ({detail}); restore it from a backup or the archive"),
        Msg::NoTrustees => "No trustees yet: name the chair and two scrutineers, each with a passphrase, before the first round".into(),
        Msg::TrusteeNameEmpty => "Give the trustee's name".into(),
        Msg::TrusteeTwice { name } => format!("{name} is named twice: the three trustees must be three different people"),
        Msg::PassphraseTooShort { name, min } => format!("{name}'s passphrase is too short: at least {min} characters"),
        Msg::TrusteesAlreadySet => "The trustees are already named and cannot be changed".into(),
        Msg::KeyFailed { detail } => format!("Cannot make the election key: {detail}"),
        Msg::TrusteeNotFound { name } => format!("{name} is not one of this meeting's trustees"),
        Msg::WrongPassphrase { name } => format!("{name}'s passphrase is wrong (nothing was changed)"),
        Msg::CliOverridden { id } => format!("Recorded: candidate {id} is put to the vote"),
        Msg::PeriodEndBeforeStart => "The notice period ends before it starts".into(),
        Msg::CalendarUncovered { date, years } => format!(
            "The bundled working-day calendar covers {years} only, not {date}: the end of the notice period cannot be counted; type the end date (CLI: --end YYYY-MM-DD)"
        ),
        Msg::OverrideReasonNeeded => "Give the reason for putting the candidate to the vote (it goes into the minutes)".into(),
        Msg::NotBarred { id } => format!("Candidate {id} is not barred by the eligibility rules; no override is needed"),
        Msg::OverrideTwice { id } => format!("Candidate {id} already has an override"),
        Msg::CandidatesBarred { list } => {
            let items: Vec<String> = list
                .iter()
                .map(|(c, keys)| {
                    let why: Vec<String> = keys.iter().map(|k| super::labels::label(k, super::Lang::En)).collect();
                    format!("{c} ({})", why.join(", "))
                })
                .collect();
            format!(
                "Barred by the eligibility rules, not put to the vote: {}. The chair may record a reason to put them to the vote",
                items.join("; ")
            )
        }
        Msg::RecusalsPending { pairs } => {
            let list: Vec<String> = pairs.iter().take(5).map(|(m, c)| format!("{m} ({c})")).collect();
            let more = if pairs.len() > list.len() { ", …" } else { "" };
            format!(
                "{} proposed recusals are still undecided: {}{more}. Confirm or dismiss them under Recusals (or Confirm all) before the round opens",
                pairs.len(),
                list.join(", ")
            )
        }
        Msg::ChairPassphraseNeeded { name } => {
            format!("Sealed documents and the archive need the chair's ({name}) passphrase")
        }
        Msg::SameTrusteeTwice { name } => format!("Counting needs two different trustees: {name} is given twice"),
        Msg::TallyBeforeClose { id } => format!("Round {id} is still open: close it first, then two trustees count it"),
        Msg::AlreadyTallied { id } => format!("Round {id} is already counted"),
        Msg::NotSealedRound { id } => format!("Round {id} is not an encrypted-ballot round"),
        Msg::BallotRefused { detail } => format!("The ballot was refused: {detail}"),
        Msg::TallyFailed { candidate, detail } => format!("{candidate}: the decryption failed ({detail}); the ballot box or the tally data may have been changed"),
        // ceremony
        Msg::CeremonyFirst => "The meeting's keys are not made yet: name the chair and two scrutineers (the key ceremony) before sealing, exporting or voting".into(),
        Msg::NoEscrow => "This meeting was made by an earlier version: only the chair's passphrase unlocks its seal".into(),
        Msg::KeyNotRecorded { what: KeyKind::Signing } => "The signing key in the meeting file is not the one the key ceremony recorded in the audit chain: the file was changed, and the key is refused".into(),
        Msg::KeyNotRecorded { what: KeyKind::Election } => "The election key in the meeting file is not the one the key ceremony recorded in the audit chain: the file was changed, and no ballot is encrypted or accepted under it".into(),
        Msg::SealSameTrustee { name } => format!("Unlocking the seal needs two different trustees: {name} is given twice"),
        Msg::ReceiptArchiveNotAuthentic => "The archive does not verify (conclave verify says why): the receipt cannot be checked against it".into(),
        Msg::ReceiptFound { tracker, round, head } => format!("✓ Tracker {tracker} is in round {round}'s box, and the chain head shown after casting, {head}, is the archive's"),
        Msg::ReceiptHeadDiffers { tracker, round, head, seen } => format!("✗ Tracker {tracker} is in round {round}, but the archive's chain head after that cast is {seen}, not the {head} you saw: the chain was rewritten after the cast"),
        Msg::ReceiptMissing { tracker } => format!("✗ The archive records no cast of tracker {tracker}: that ballot is not in the box"),
        Msg::PinNotRecorded { member } => format!("The PIN record of {member} in the meeting file is not the one the audit chain recorded when it was issued: the file was changed, and it is refused"),
        Msg::CliCeremony { election, signing } => format!("Election key fingerprint: {election}\nDocument-signing key fingerprint: {signing}\nPrint the key ceremony record (conclave print key-ceremony) for the three trustees to check and sign"),
        Msg::AuditCastBallot { tracker } => format!("Ballot {tracker} was cast: it cannot be audited"),
        Msg::AuditAgain { tracker } => format!("Ballot {tracker} was already audited: it is not recorded again"),
        Msg::CastAudited { tracker } => format!("Ballot {tracker} was audited and its randomness is public: it cannot be cast; review and confirm a new ballot"),
        Msg::AuditedNotFound { round, tracker } => format!("Round {round} has no audited ballot with tracker {tracker}"),
        Msg::AuditedUnreadable => "A stored audited ballot cannot be read: the file was changed".into(),
        Msg::AuditedLinesDiffer => "The randomness the terminal released does not match the ballot's candidates: the terminal did not encrypt faithfully".into(),
        Msg::AuditedMismatch { candidate, option } => format!("Candidate {candidate}, option “{option}”: the randomness the terminal released does not match the ciphertext; the terminal did not encrypt faithfully. Tell the chair and the scrutineers at once"),
        Msg::AuditedNotZeroOrOne { candidate, option } => format!("Candidate {candidate}, option “{option}” encrypts neither 0 nor 1: the terminal did not encrypt faithfully"),
        Msg::AuditedNotOneChoice { candidate } => format!("Candidate {candidate}: the line does not encrypt exactly one choice; the terminal did not encrypt faithfully"),
        Msg::ArchiveAuditedWrong { round, tracker, detail } => format!("Round {round}, audited ballot {tracker}: {detail}"),
        Msg::ArchiveAuditedInBox => "it is also in the ballot box: an audited ballot must never be cast".into(),
        Msg::ArchiveAuditedDiffer { file, chain } => format!("The audited ballots differ from the chain's audit entries: {file} in the archive, {chain} in the chain"),
        Msg::CliAudited { round, tracker } => format!("Round {round}, audited ballot {tracker}: the randomness matches the ciphertexts; it encrypted:"),
        Msg::CliAuditedLine { name, id, option } => format!("{name} ({id}): {option}"),
        Msg::CliNoAudited => "No audited ballots".into(),
        Msg::AuditCastMissing { round } => format!("Round {round}: this ballot in the box has no cast entry in the audit chain: the file was changed"),
        Msg::ArchiveCastsDiffer { detail } => format!("the ballot box and the casts the audit chain recorded one by one differ: {detail}"),
        Msg::PassphraseWord => "trustee passphrase".into(),
        Msg::ChairPassphraseWord => "chair's passphrase".into(),
        Msg::CliTwoNeeded { what } => format!("Give {what} twice (two people)"),
        Msg::CliBoxClosed { id } => format!("Round {id}'s box is closed; two trustees now count it with their passphrases (conclave round tally)"),
        Msg::ArchiveSealedWrong { round, detail } => format!("Round {round}, encrypted ballots: {detail}"),
        Msg::ArchiveBallotWord => "ballot".into(),
        Msg::ArchiveDuplicateBallot => "a ballot appears more than once".into(),
        Msg::ArchiveBoxRoot => "the box root does not match the ballots (ballots added, removed or changed)".into(),
        Msg::ArchiveBoxRootChain => "the box root differs from the one the audit chain recorded at close".into(),
        Msg::ArchiveBallotCount { candidate, ballots, voters } => format!("{candidate}: {ballots} ballots, but {voters} eligible members are registered as having voted"),
        Msg::ArchiveTallyWrong { candidate } => format!("{candidate}: the decryption proofs, the sum of the ballots and the published counts disagree (results or tally data changed)"),
        Msg::ArchiveLoggedTwice => "the audit chain records the close or the count of this round twice".into(),
        Msg::ArchiveBoxMissing => "the audit chain opened this round for encrypted ballots, but its box is not in the archive".into(),
        Msg::ArchiveKeysDiffer => "the election key in the archive differs from the one the audit chain recorded when the trustees were named".into(),
        Msg::NotTallied { id } => format!("Round {id} is not counted yet: two trustees must count it before its results can be confirmed"),
        Msg::ChoicesWord => "choices".into(),
        Msg::ArchiveHeadNotInChain => "the audit chain head printed on the results sheet is not in this archive's chain (the audit log was rewritten)".into(),
        Msg::ArchiveEligibilityReplay { detail } => format!(
            "who may vote differs from the sign-ins and recusals replayed from the audit chain: {detail} (attendance or recusals were changed outside the chain)"
        ),
        Msg::ArchiveEligibilityChanged => "who may vote, or how many were present, differs from what the audit chain recorded when the round opened (changed)".into(),
        Msg::ArchiveOtherMeeting => "the ballot boxes in the archive belong to another meeting".into(),
        Msg::CliRoundMissing => "Give the round with --round".into(),
        Msg::ExportRoundOpen { id } => format!("Round {id} is still open: close and count it before archiving"),
        Msg::PaperEntryNumber => "The entry must be the first or the second".into(),
        Msg::KeyMismatch { expected, found } => {
            format!("Sealed with another key (fingerprint {found}), not the meeting key given (fingerprint {expected})")
        }
        Msg::NoConfirmedRound => "No results have been confirmed by the chair yet".into(),
        // pins
        Msg::PinAmbiguous => "This PIN cannot be used: ask the secretary for a new slip".into(),
        Msg::PinDrawFailed => "Could not draw a PIN that differs from every other member's: try again".into(),
        Msg::PassphraseWeak { name, min_bits } => format!(
            "{name}'s passphrase is too easy to guess (estimated below {min_bits} bits): use the generated passphrase, or a longer and more random one"
        ),
        // replay
        Msg::ReplayRoster { source, member, says } => format!("{source}: the roster differs from the audit chain ({member}): the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayAttendance { source, member, says } => format!("{source}: the attendance of {member} differs from the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayRecusal { source, member, candidate, says } => format!("{source}: the recusal of {member} from {candidate} differs from the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayOverride { source, candidate, says } => format!("{source}: the eligibility override for {candidate} differs from the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayRules { source, says } => format!("{source}: the voting rules differ from the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayRound { source, round, says } => format!("{source}: round {round} differs from the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayPaperCount { source, round, candidate, says } => format!("{source}: round {round}, the paper count for {candidate} differs from the one both scrutineers entered in the audit chain: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayResult { source, round, candidate, says } => format!("{source}: round {round}, the result for {candidate} differs from the one the audit chain logged at the count: the chain says “{}”, this says “{}”", says.chain, says.shown),
        Msg::ReplayNone => "none".into(),
        // tlskey
        Msg::TerminalNetworkOff => "Terminal cards carry the fingerprint of the meeting-room network's certificate, which is made anew the first time the network starts after Conclave is opened: start the meeting-room network first, and print the cards while it runs".into(),
        Msg::ServerFingerprintFresh => "The certificate's key lives only in this process's memory and is never saved: this start's fingerprint differs from earlier ones, and cards printed before carry one that no longer applies; members check the fingerprint shown (projected) here. The cards' pairing links still work".into(),
        // flow
        Msg::NoPinsIssued { names } => format!(
            "No PINs have been issued yet: print the PIN slips first (on Sign-in and rules, press “Issue PINs to the members present”). {} has no PIN yet",
            names.join(", ")
        ),
        Msg::NoStandIn { chair, candidates } => format!(
            "The chair, {chair}, is recused for {candidates} and no vice chair present can stand in: sign a vice chair in, or put these candidates in another round"
        ),
        Msg::PinFor { chair, names, chair_recused } => {
            let who = names.join(" or ");
            match (chair, chair_recused) {
                (true, _) => format!("The chair, {who}, types their PIN"),
                (false, Some((c, list))) => {
                    format!("The chair, {c}, is recused for {}: the vice chair {who} types their PIN", list.join(", "))
                }
                (false, None) => format!("The chair is absent: the vice chair {who} types their PIN"),
            }
        }
        Msg::StepImportFirst => "Import the committee roster and the dossiers first".into(),
        Msg::StepNoDossiers => "No candidates' dossiers have been imported yet".into(),
        Msg::StepRecusalsNotProposed => "Recusals not checked yet: press “Find likely conflicts”, then confirm or dismiss each".into(),
        Msg::StepEligibilityOut { names } => format!(
            "{} did not pass the eligibility check and stay out of the vote (the chair may let them in with a reason)",
            names.join(", ")
        ),
        Msg::StepSignInFirst => "No member has signed in yet".into(),
        Msg::StepPinsMissing { names } => match names.len() {
            0..=3 => format!("{} has no PIN yet: issue PINs and print the slips", names.join(", ")),
            n => format!(
                "{} and {} others have no PIN yet: issue PINs and print the slips",
                names[..3].join(", "),
                n - 3
            ),
        },
        Msg::StepCardsNotPrinted => "No terminal cards printed yet: start the meeting-room network, then print the cards for the members".into(),
        Msg::StepRoundOpen { id, done, expected } => format!("Round {id} is open: {done} / {expected} voted"),
        Msg::StepRoundsLeft { count } => format!("{count} candidates still to vote on"),
        Msg::StepNoResults => "No round has been closed yet".into(),
        Msg::StepAwaitConfirm { id } => format!("Round {id} is counted and waits for the chair to confirm it"),
        Msg::StepPrintsMissing { rounds, minutes } => {
            let mut what: Vec<String> = rounds.iter().map(|r| format!("the results sheet of round {r}")).collect();
            if *minutes {
                what.push("the minutes".into());
            }
            format!("Not printed yet: {}", what.join(", "))
        }
        Msg::StepNoConfirmed => "No results confirmed by the chair yet".into(),
        Msg::StepNotArchived => "Not archived since the results were confirmed".into(),
        // verifier
        Msg::VerifyStepTitle { id } => match id.as_str() {
            "V1" => "Archive index and signature",
            "V2" => "Every file's hash and size",
            "V3" => "Audit chain",
            "V4" => "Key ceremony and keys",
            "V5" => "Meeting replayed from the chain",
            "V6" => "Each round's register and eligibility digest",
            "V7" => "Each ballot's proofs",
            "V8" => "Box and the chain's casts",
            "V9" => "Homomorphic sums",
            "V10" => "Decryption proofs and Lagrange combination",
            "V11" => "Counts against the rules",
            "V12" => "Paper rounds",
            "V13" => "Sealed PDFs",
            other => other,
        }
        .into(),
        Msg::VerifyStepFailed { id, title } => format!("Step {id} failed: {title}"),
        Msg::ArchiveSpecUnsupported { spec } => {
            format!("The archive index names spec version {spec}; this build knows versions 0 and 1 only and cannot verify by its rules")
        }
        Msg::StandardNotText => "The conditions table is not a text file (UTF-8 JSON expected)".into(),
        Msg::StandardSyntax { line, detail } => format!("The conditions table is malformed at line {line}: {detail}"),
        Msg::StandardInvalid { detail } => format!("The conditions table is wrong: {detail}"),
        Msg::StandardLooser { what, unit, national } => {
            format!("A unit's conditions may not ask less than the national ones: {what}, unit {unit}, national {national}")
        }
        Msg::StandardFrozen => "The first round has opened: conditions and posts can no longer change".into(),
        Msg::ReferenceDateInvalid { value } => {
            format!("Reference date “{value}” is invalid; expected a real date as YYYY-MM-DD")
        }
        Msg::PostsInvalid { title, value } => {
            format!("Posts for {title}: “{value}” is invalid; expected a whole number 0 to 10000")
        }
        Msg::CliStandardSet { what } => format!("Set: {what}"),
        Msg::CondHeld { edu, title, months, need } => format!(
            "{}, {} {} years {} months, needs {need} years",
            edu_en(edu),
            title_en(title),
            months / 12,
            months % 12
        ),
        Msg::CondNoYears { edu } => format!("{}, no years required", edu_en(edu)),
        Msg::CondEducationShort { edu, applied } => {
            format!("{} does not meet the education required for {}", edu_en(edu), title_en(applied))
        }
        Msg::CondWrongTitle { current, after } => {
            format!("current title is {}; the years count as {}", title_en(current), title_en(after))
        }
        Msg::CondMissing { items } => format!(
            "Cannot tell: missing {}",
            items
                .iter()
                .map(|i| match *i {
                    "education" => "education",
                    "current_title" => "current title",
                    _ => "date the current title was obtained",
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Msg::CondUnknownEducation { value } => format!("Cannot tell: education “{value}” not recognised"),
        Msg::CondDateImprecise { value } => {
            format!("Cannot tell: the current title's date “{value}” is not exact to the day, and the day decides")
        }
        Msg::CondNotInTable { applied } => format!("Cannot tell: the table has no conditions for {}", title_en(applied)),
        Msg::CondRelaxed { counted, inner } => {
            format!("hardship service, education counted as {}; {}", edu_en(counted), render(inner))
        }
        Msg::CondSkipped { route, normal } => format!(
            "{}: education and years not checked (normal track: {})",
            crate::domain::vocab::label(&format!("track.{route}"), crate::i18n::Lang::En).unwrap_or(route),
            render(normal)
        ),
        Msg::PostsTie { title, names, left } => format!(
            "{}: {names} have the same for votes at the boundary of post {left}; the tied candidates must be voted on again",
            title_en(title)
        ),
        Msg::VerifyNotChecked => "not checked".into(),
    }
}

fn ty(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Bool => "a boolean",
        JsonType::Number => "a number",
        JsonType::Integer => "an integer",
        JsonType::String => "text",
        JsonType::Array => "an array",
        JsonType::Object => "an object",
    }
}

fn edu_en(code: &str) -> String {
    crate::domain::vocab::label(&format!("education.{code}"), crate::i18n::Lang::En)
        .unwrap_or(code)
        .to_string()
}

fn title_en(code: &str) -> String {
    let label = crate::domain::vocab::label(&format!("title.{code}"), crate::i18n::Lang::En).unwrap_or(code);
    label.to_lowercase()
}
