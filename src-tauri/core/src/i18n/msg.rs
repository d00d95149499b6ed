//! Every message the core says to a person, as one enum grouped by area:
//! manifest fields, containers and files, spreadsheets, import into a
//! meeting, the meeting itself (roster, sign-in, recusals, rules, rounds,
//! ballots), printing and verification, and the CLI's report lines. Its
//! words are in `zh.rs` and `en.rs`, one line per message each.

use super::JsonType;

/// Something the core tells a person. Each variant has one line in `zh.rs`
/// and one in `en.rs`; the compiler keeps the two tables complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    MeetingNameEmpty,
    TextTooLong {
        max: usize,
        len: usize,
    },
    DateInvalid {
        value: String,
    },
    LevelInvalid {
        value: String,
    },
    MeetingNotFound {
        id: String,
    },
    DatabaseTooNew {
        found: i64,
        supported: i64,
    },
    DatabaseFailed {
        detail: String,
    },
    FileFailed {
        path: String,
        detail: String,
    },
    AuditChainBroken {
        seq: i64,
    },
    StoredRowInvalid {
        table: String,
        key: String,
        detail: String,
    },
    // Manifest fields.
    WrongType {
        expected: JsonType,
        found: JsonType,
    },
    UnknownKey {
        key: String,
    },
    FieldMissing {
        field: String,
    },
    TextEmpty,
    NotInList {
        value: String,
        allowed: String,
    },
    PartialDateInvalid {
        value: String,
    },
    DateTimeInvalid {
        value: String,
    },
    IdInvalid {
        value: String,
    },
    IntOutOfRange {
        value: i64,
        min: i64,
        max: i64,
    },
    FormatWrong {
        expected: &'static str,
        found: String,
    },
    DuplicateCandidate {
        id: String,
    },
    DuplicateAchievement {
        id: String,
    },
    DuplicateMember {
        id: String,
    },
    ChairCount {
        count: usize,
    },
    NotATitle {
        value: String,
    },
    NotACategory {
        value: String,
    },
    Sha256Invalid {
        value: String,
    },
    JsonSyntax {
        line: usize,
        column: usize,
        detail: String,
    },
    JsonTooDeep {
        line: usize,
        column: usize,
    },
    // Containers and files.
    EntryOutside {
        path: String,
    },
    EntryNameInvalid {
        path: String,
    },
    EntryNameUndecodable {
        index: usize,
    },
    EntryEncrypted {
        path: String,
    },
    FileUnreadable {
        path: String,
        detail: String,
    },
    SymlinkRefused {
        path: String,
    },
    TooDeep {
        path: String,
    },
    DuplicateEntry {
        path: String,
        other: String,
    },
    TooManyEntries {
        max: usize,
    },
    NotRegularFile {
        path: String,
    },
    PackageTooLarge {
        size: u64,
        max: u64,
    },
    ZipCorrupt {
        file: String,
        detail: String,
    },
    FileTooLarge {
        path: String,
        size: u64,
        max: u64,
    },
    ZipBomb {
        path: String,
        ratio: u64,
        max: u64,
    },
    SizeMismatch {
        path: String,
        declared: u64,
    },
    FileMissing {
        path: String,
    },
    NotAPackage {
        path: String,
    },
    ManifestMissing,
    SameFileTwoHashes {
        path: String,
    },
    UnreferencedFile {
        path: String,
    },
    /// Operating-system files skipped (count, the first few names).
    OsFilesSkipped {
        count: usize,
        names: String,
    },
    FileTypeRefused {
        path: String,
    },
    HashMismatch {
        path: String,
    },
    Cancelled,
    // Spreadsheets.
    SpreadsheetUnreadable {
        file: String,
        detail: String,
    },
    SpreadsheetTooLarge {
        file: String,
        part: String,
        detail: String,
    },
    SheetMissing {
        sheet: String,
    },
    UnknownColumn {
        sheet: String,
        column: String,
    },
    CellNotInteger {
        value: String,
    },
    CellNotBoolean {
        value: String,
    },
    UnknownCandidate {
        id: String,
    },
    // Import into a meeting.
    CandidateExists {
        id: String,
        other: String,
        this: String,
    },
    AlreadyImported {
        when: String,
    },
    RosterAlreadyImported,
    // The meeting: roster, sign-in, recusals, rules, rounds, ballots.
    NoRoster,
    MemberNotFound {
        id: String,
    },
    RulesFrozen,
    RulesInvalid {
        field: String,
    },
    NoQuorum {
        present: u32,
        needed: u32,
    },
    NoChairPresent,
    RoundAlreadyOpen {
        id: i64,
    },
    NoCandidatesForRound,
    MaxRoundsReached {
        id: String,
        max: u32,
    },
    ReasonRequired {
        id: String,
    },
    RoundNotFound {
        id: i64,
    },
    RoundNotOpen {
        id: i64,
    },
    RoundNotClosed {
        id: i64,
    },
    RoundAlreadyConfirmed {
        id: i64,
    },
    NotPresent {
        name: String,
    },
    AlreadyVoted {
        name: String,
    },
    NothingToVote {
        name: String,
    },
    BallotIncomplete {
        candidate: String,
    },
    BallotUnexpected {
        candidate: String,
    },
    WrongPin,
    /// The secretary's PIN was asked for and not given.
    SecretaryPinNeeded,
    SecretaryPinWrong,
    /// No secretary's PIN was set for this meeting.
    SecretaryPinNotSet,
    /// A new secretary's PIN that is not 6–12 digits.
    SecretaryPinFormat,
    /// The two typings of a new secretary's PIN differ.
    SecretaryPinMismatch,
    /// The voting station has no member unlocked.
    StationLocked,
    /// Too many wrong PINs in a row at the station.
    StationCooling {
        tries: u32,
        seconds: u64,
    },
    /// A terminal card's token that is unknown, replaced or revoked.
    TerminalTokenUnknown,
    /// A card that already paired a terminal.
    TerminalCardUsed,
    /// A terminal whose session ended (card re-issued or revoked, or never paired).
    TerminalNotPaired,
    /// A request a terminal may not make (another member's, or an admin act).
    TerminalForbidden,
    /// Too many requests from one terminal in a short time.
    TerminalTooFast,
    /// No round is open for voting on terminals.
    NoTerminalRound,
    ServerNotStarted {
        detail: String,
    },
    ServerFingerprint {
        fingerprint: String,
    },
    TerminalRevoked,
    TerminalPaired,
    TerminalIssued,
    TerminalNoCard,
    /// Terminal cards without an address: the server never started and none was given.
    TerminalUrlUnknown,
    TerminalUrlInvalid {
        url: String,
    },
    /// An act of the chair's without the chair's PIN.
    ChairPinNeeded,
    /// The PIN is a member's who is neither the chair nor, here, a vice chair.
    NotChair {
        name: String,
    },
    /// The chair (or vice chair) is recused for some of the candidates.
    RecusedHere {
        name: String,
        candidates: String,
    },
    NobodyPresent,
    PaperRound {
        id: i64,
    },
    NotPaperRound {
        id: i64,
    },
    PaperNotAgreed {
        id: i64,
    },
    PaperTooMany {
        candidate: String,
        total: u64,
        max: u32,
    },
    ScrutineerMissing,
    SameScrutineer {
        name: String,
    },
    NoConfirmedRound,
    ExportRoundOpen {
        id: i64,
    },
    PaperEntryNumber,
    KeyMismatch {
        expected: String,
        found: String,
    },
    ReadOnlyArchive,
    ArchiveWritten {
        files: usize,
        bytes: u64,
    },
    ArchiveAuthentic {
        meeting: String,
        files: usize,
        ballots: usize,
        proofs: usize,
        key: String,
    },
    ArchiveUnreadable {
        detail: String,
    },
    ArchiveNoIndex,
    ArchiveBadSignature,
    ArchiveKeyMismatch,
    ArchiveUnlisted {
        path: String,
    },
    ArchiveChanged {
        path: String,
    },
    ArchiveMissing {
        path: String,
    },
    ArchiveBallotsDisagree {
        round: i64,
        candidate: String,
    },
    ArchiveNotAuthentic {
        problems: String,
    },
    // Printing and verification.
    VerifyNotPdf,
    VerifyNoSeal,
    VerifyBadSignature,
    VerifyContentChanged,
    /// The PDF has no byte signature (printed by a version before it, or removed).
    VerifyNoByteSignature,
    /// Bytes were appended or the signature's range was moved.
    VerifyChangedAfterSigning,
    /// One or more bytes of the signed file differ.
    VerifyBytesChanged,
    /// More than one signature in a document sealed once.
    VerifySeveralSignatures,
    VerifyAuthentic {
        meeting: String,
        document: String,
        code: String,
        key: String,
    },
    VerifyDocResults {
        round: i64,
    },
    VerifyDocMinutes,
    /// An image that is not a readable PNG or JPEG.
    ScanNotImage,
    /// No Conclave page QR code found in the image.
    ScanNoCode,
    ScanBadSignature,
    /// `document` names the document and the page ([`Msg::ScanPage`]).
    ScanAuthentic {
        meeting: String,
        document: String,
        key: String,
    },
    /// "第 1 页 共 3 页 · 校验码 …"
    ScanPage {
        page: u32,
        pages: u32,
        code: String,
    },
    VerifyDocPublicity,
    CandidateNotFound {
        id: String,
    },
    EvidenceChanged {
        sha256: String,
    },
    EvidenceMissing {
        sha256: String,
    },
    // CLI report lines.
    CliPackage {
        path: String,
    },
    CliKind {
        committee: bool,
    },
    CliCounts {
        candidates: usize,
        members: usize,
        files: usize,
        bytes: u64,
    },
    CliErrors {
        count: usize,
    },
    CliWarnings {
        count: usize,
    },
    CliVerdict {
        ok: bool,
    },
    CliImported,
    CliMeetingMissing {
        path: String,
    },
    CliRoundMissing,
    CliSecretMissing {
        what: String,
    },
    CliChoiceInvalid {
        item: String,
    },
    CliSignedIn {
        member: String,
        present: bool,
    },
    CliRecusalsProposed {
        count: usize,
    },
    CliRecusalSet {
        member: String,
        candidate: String,
        confirmed: bool,
    },
    CliRecusalMemberCandidate,
    CliRoundOpened {
        id: i64,
    },
    CliCast {
        round: i64,
        closed: bool,
    },
    CliRoundClosed {
        id: i64,
    },
    CliRoundConfirmed {
        id: i64,
    },
    CliNoDataDir,
    NoDisplay,
    /// Windows: the window needs the WebView2 Runtime, which is not installed.
    NoWebView2,
    /// The window-less build (CLI and server only) started without a subcommand.
    NoWindowBuild,
    /// `conclave verify DIR/` found no archive to check.
    CliNoArchives,
    /// The head of the many-archives table.
    CliVerifyManyHead,
    CliVerifyManyOk,
    CliVerifyManyFailed {
        steps: String,
        problem: String,
    },
    CliVerifyManyTotal {
        total: usize,
        bad: usize,
    },
    /// Printing to the system's viewer is not offered for a document holding secrets.
    PrintHoldsSecrets,
    /// No program opens PDFs here; the printed file is at `path`.
    NoPdfViewer {
        path: String,
    },
    PinWord,
    ChairPinWord,
    SecretaryPinWord,
    ArchiveOtherMeeting,
    ArchiveEligibilityChanged,
    /// The register differs from the one replayed from the chain's sign-ins and recusals.
    ArchiveEligibilityReplay {
        detail: String,
    },
    ArchiveHeadNotInChain,
    ChoicesWord,
    NotTallied {
        id: i64,
    },
    ArchiveLoggedTwice,
    ArchiveBoxMissing,
    ArchiveKeysDiffer,
    ArchiveSealedWrong {
        round: i64,
        detail: String,
    },
    ArchiveBallotWord,
    ArchiveDuplicateBallot,
    ArchiveBoxRoot,
    ArchiveBoxRootChain,
    ArchiveBallotCount {
        candidate: String,
        ballots: u64,
        voters: u64,
    },
    ArchiveTallyWrong {
        candidate: String,
    },
    PassphraseWord,
    ChairPassphraseWord,
    CliTwoNeeded {
        what: String,
    },
    CliBoxClosed {
        id: i64,
    },
    NoTrustees,
    TrusteeNameEmpty,
    TrusteeTwice {
        name: String,
    },
    PassphraseTooShort {
        name: String,
        min: usize,
    },
    TrusteesAlreadySet,
    KeyFailed {
        detail: String,
    },
    TrusteeNotFound {
        name: String,
    },
    WrongPassphrase {
        name: String,
    },
    ChairPassphraseNeeded {
        name: String,
    },
    OverrideReasonNeeded,
    PeriodEndBeforeStart,
    CalendarUncovered {
        date: String,
        years: String,
    },
    CliOverridden {
        id: String,
    },
    NotBarred {
        id: String,
    },
    OverrideTwice {
        id: String,
    },
    /// (candidate, what bars them) in the message's language.
    CandidatesBarred {
        list: Vec<(String, Vec<&'static str>)>,
    },
    /// (member, candidate) names.
    RecusalsPending {
        pairs: Vec<(String, String)>,
    },
    SameTrusteeTwice {
        name: String,
    },
    TallyBeforeClose {
        id: i64,
    },
    AlreadyTallied {
        id: i64,
    },
    NotSealedRound {
        id: i64,
    },
    BallotRefused {
        detail: String,
    },
    TallyFailed {
        candidate: String,
        detail: String,
    },
    // ceremony
    /// Sealing, exporting or a ballot before the key ceremony.
    CeremonyFirst,
    /// A meeting whose signing key has no trustees' escrow (older version).
    NoEscrow,
    /// The stored key is not the one the audit chain recorded.
    KeyNotRecorded {
        what: KeyKind,
    },
    /// Two trustees unlocking the seal are the same person.
    SealSameTrustee {
        name: String,
    },
    // audited ballots (检验)
    /// Auditing a ballot that is already in the box.
    AuditCastBallot {
        tracker: String,
    },
    /// The same ballot audited twice (a replayed request).
    AuditAgain {
        tracker: String,
    },
    /// Casting a ballot whose randomness was released by an audit.
    CastAudited {
        tracker: String,
    },
    AuditedNotFound {
        round: i64,
        tracker: String,
    },
    /// A stored audited ballot that does not parse.
    AuditedUnreadable,
    AuditedLinesDiffer,
    /// `option` is "for", "against" or "abstain".
    AuditedMismatch {
        candidate: String,
        option: String,
    },
    AuditedNotZeroOrOne {
        candidate: String,
        option: String,
    },
    AuditedNotOneChoice {
        candidate: String,
    },
    /// An audited ballot in an archive that does not verify or open.
    ArchiveAuditedWrong {
        round: i64,
        tracker: String,
        detail: String,
    },
    ArchiveAuditedInBox,
    /// The archive's audited ballots against the chain's `ballot.spoil` entries.
    ArchiveAuditedDiffer {
        file: usize,
        chain: usize,
    },
    /// The CLI's header of a checked audited ballot.
    CliAudited {
        round: i64,
        tracker: String,
    },
    /// One line of it; `option` is "for", "against" or "abstain".
    CliAuditedLine {
        name: String,
        id: String,
        option: String,
    },
    CliNoAudited,
    /// A ballot in the box whose cast the audit chain does not record.
    AuditCastMissing {
        round: i64,
    },
    /// The CLI's lines after the key ceremony.
    CliCeremony {
        election: String,
        signing: String,
    },
    /// A member's PIN verifier is not the one the audit chain recorded.
    PinNotRecorded {
        member: String,
    },
    /// `conclave receipt`: the archive did not verify.
    ReceiptArchiveNotAuthentic,
    /// `conclave receipt`: the tracker is in the chain with the head the member saw.
    ReceiptFound {
        tracker: String,
        round: i64,
        head: String,
    },
    /// `conclave receipt`: the tracker is there, but the chain head after it differs.
    ReceiptHeadDiffers {
        tracker: String,
        round: i64,
        head: String,
        seen: String,
    },
    /// `conclave receipt`: no cast of that tracker.
    ReceiptMissing {
        tracker: String,
    },
    /// The box and the chain's cast entries are not the same set.
    ArchiveCastsDiffer {
        detail: String,
    },
    // pins
    /// Two present members' verifiers accept the PIN typed (only verifiers
    /// from earlier versions can): refused, the slip must be re-issued.
    PinAmbiguous,
    /// No PIN distinct from every other member's could be drawn.
    PinDrawFailed,
    /// A trustee's chosen passphrase is estimated below `min_bits`.
    PassphraseWeak {
        name: String,
        min_bits: u32,
    },
    // replay: the meeting replayed from the archived audit chain differs
    // from a table (`source`: the archive file) or a sealed PDF; `says` is
    // what each of them says.
    /// A member of the roster (`member`: name and id).
    ReplayRoster {
        source: String,
        member: String,
        says: Box<Says>,
    },
    /// A member's 签到 / 离席.
    ReplayAttendance {
        source: String,
        member: String,
        says: Box<Says>,
    },
    /// A recusal and its state.
    ReplayRecusal {
        source: String,
        member: String,
        candidate: String,
        says: Box<Says>,
    },
    /// The chair's override of 资格审查 for a candidate.
    ReplayOverride {
        source: String,
        candidate: String,
        says: Box<Says>,
    },
    /// The rules the meeting voted by.
    ReplayRules {
        source: String,
        says: Box<Says>,
    },
    /// A round's facts: mode, candidates, members present, reason, confirmation, register.
    ReplayRound {
        source: String,
        round: i64,
        says: Box<Says>,
    },
    /// A paper round's counts, as the scrutineers' agreed entries have them.
    ReplayPaperCount {
        source: String,
        round: i64,
        candidate: String,
        says: Box<Says>,
    },
    /// A round's result (the whole tally) as the chain logged it at the count.
    ReplayResult {
        source: String,
        round: i64,
        candidate: String,
        says: Box<Says>,
    },
    /// The word for "nothing" in a replay message's `chain` or `shown`.
    ReplayNone,
    // tlskey
    /// Terminal cards while no server serves the meeting: the fingerprint
    /// to print is that of the running server's in-memory key.
    TerminalNetworkOff,
    /// `conclave serve`: the fingerprint is this process's own.
    ServerFingerprintFresh,
    // flow
    /// Nobody who may open the round holds a PIN yet: the slips are not printed.
    NoPinsIssued {
        names: Vec<String>,
    },
    /// The chair is recused for some of the round's candidates and no vice
    /// chair present may stand in.
    NoStandIn {
        chair: String,
        candidates: String,
    },
    /// Whose PIN an act takes: the chair's, or a standing-in vice chair's
    /// (with the chair's name and the candidates the chair is recused for).
    PinFor {
        chair: bool,
        names: Vec<String>,
        chair_recused: Option<(String, Vec<String>)>,
    },
    /// The meeting checklist's reasons.
    StepImportFirst,
    StepNoDossiers,
    StepRecusalsNotProposed,
    StepEligibilityOut {
        names: Vec<String>,
    },
    StepSignInFirst,
    StepPinsMissing {
        names: Vec<String>,
    },
    StepCardsNotPrinted,
    StepRoundOpen {
        id: i64,
        done: i64,
        expected: i64,
    },
    StepRoundsLeft {
        count: usize,
    },
    StepNoResults,
    StepAwaitConfirm {
        id: i64,
    },
    StepPrintsMissing {
        rounds: Vec<i64>,
        minutes: bool,
    },
    StepNoConfirmed,
    StepNotArchived,
    // verifier
    /// A step of docs/verification.md by its number (`V1` … `V13`): its title.
    VerifyStepTitle {
        id: String,
    },
    /// `conclave verify`: a step that failed, before its problems.
    VerifyStepFailed {
        id: String,
        title: String,
    },
    /// `index.json` names a spec version this build does not know.
    ArchiveSpecUnsupported {
        spec: u64,
    },
    /// A step a verifier did not run: never shown as passed.
    VerifyNotChecked,
    // The application conditions table (domain/standard.rs).
    StandardNotText,
    StandardSyntax {
        line: u64,
        detail: String,
    },
    StandardInvalid {
        detail: String,
    },
    /// A unit table asking less than the national one: what, unit's, national's.
    StandardLooser {
        /// The title (and education) in the table's words.
        what: String,
        unit: String,
        national: String,
    },
    /// Conditions and posts are fixed once the first round has opened.
    StandardFrozen,
    ReferenceDateInvalid {
        value: String,
    },
    PostsInvalid {
        title: String,
        value: String,
    },
    CliStandardSet {
        what: String,
    },
    // One candidate's condition check (domain/conditions.rs); codes are
    // rendered as labels in the message's language.
    CondHeld {
        edu: &'static str,
        title: String,
        months: u32,
        need: u32,
    },
    CondNoYears {
        edu: &'static str,
    },
    CondEducationShort {
        edu: &'static str,
        applied: String,
    },
    CondWrongTitle {
        current: String,
        after: String,
    },
    /// Missing items: `education`, `current_title`, `obtained`.
    CondMissing {
        items: Vec<&'static str>,
    },
    CondUnknownEducation {
        value: String,
    },
    CondDateImprecise {
        value: String,
    },
    CondNotInTable {
        applied: String,
    },
    CondRelaxed {
        counted: &'static str,
        inner: Box<Msg>,
    },
    CondSkipped {
        route: String,
        normal: Box<Msg>,
    },
    /// Posts: a tie at the boundary; the names tied and the posts left.
    PostsTie {
        title: String,
        names: String,
        left: u32,
    },
}

/// What the audit chain says and what an archived file says instead, in a
/// replay message (boxed: a message stays small to pass around).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Says {
    pub chain: String,
    pub shown: String,
}

impl Says {
    pub fn boxed(chain: String, shown: String) -> Box<Says> {
        Box::new(Says { chain, shown })
    }
}

/// Which of the meeting's keys a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// The document-signing key.
    Signing,
    /// The election key ballots are encrypted under.
    Election,
}
