//! Chinese message table.

use super::msg::KeyKind;
use super::{size, JsonType, Msg};

pub(super) fn render(m: &Msg) -> String {
    match m {
        Msg::MeetingNameEmpty => "会议名称不能为空".into(),
        Msg::TextTooLong { max, len } => format!("内容过长：{len} 个字符，最多 {max} 个"),
        Msg::DateInvalid { value } => format!("日期“{value}”无效，应为 YYYY-MM-DD 格式的真实日期"),
        Msg::LevelInvalid { value } => {
            format!("评审级别“{value}”无效，应为 正高级/副高级/中级/初级 之一")
        }
        Msg::MeetingNotFound { id } => format!("找不到会议 {id}"),
        Msg::DatabaseTooNew { found, supported } => format!(
            "该会议文件由更新版本的 Conclave 创建（数据格式第 {found} 版，本程序只支持到第 {supported} 版），请升级后再打开"
        ),
        Msg::DatabaseFailed { detail } => format!("数据库操作失败：{detail}"),
        Msg::FileFailed { path, detail } => format!("无法读写文件“{path}”：{}", os_error(detail)),
        Msg::AuditChainBroken { seq } => {
            format!("审计日志第 {seq} 条与前一条的校验值不符，日志可能被修改、删除或调换")
        }
        Msg::WrongType { expected, found } => {
            format!("类型不对：应为{}，实际是{}", ty(*expected), ty(*found))
        }
        Msg::UnknownKey { key } => format!("未知字段“{key}”（已保留，不影响导入）"),
        Msg::FieldMissing { field } => format!("缺少必填字段“{field}”"),
        Msg::TextEmpty => "不能为空".into(),
        Msg::NotInList { value, allowed } => format!("“{value}”不是允许的取值（可选：{allowed}）"),
        Msg::PartialDateInvalid { value } => {
            format!("日期“{value}”无效，应为 YYYY-MM-DD、YYYY-MM 或 YYYY 格式的真实日期")
        }
        Msg::DateTimeInvalid { value } => {
            format!("时间“{value}”无效，应为 2025-11-20T09:00:00+08:00 这样的格式")
        }
        Msg::IdInvalid { value } => format!("编号“{value}”无效：应为 1–64 个字母、数字或 . _ -"),
        Msg::IntOutOfRange { value, min, max } => format!("数值 {value} 超出范围（{min}–{max}）"),
        Msg::FormatWrong { expected, found } => format!("格式标识应为“{expected}”，实际是 {found}"),
        Msg::DuplicateCandidate { id } => format!("申报编号“{id}”在材料包中重复"),
        Msg::DuplicateAchievement { id } => format!("成果编号“{id}”在同一申报人中重复"),
        Msg::DuplicateMember { id } => format!("专家编号“{id}”重复"),
        Msg::ChairCount { count } => format!("主任委员应有且只有 1 名，名单中有 {count} 名"),
        Msg::NotATitle { value } => format!("“{value}”不是实验技术系列职称"),
        Msg::NotACategory { value } => format!("“{value}”不是规定的成果形式"),
        Msg::Sha256Invalid { value } => format!("校验值“{value}”无效：应为 64 位小写十六进制 SHA-256"),
        Msg::JsonSyntax { line, column, detail } => {
            format!("JSON 格式错误（第 {line} 行第 {column} 列）：{detail}")
        }
        Msg::JsonTooDeep { line, column } => {
            format!("JSON 嵌套层级过深（第 {line} 行第 {column} 列），文件可能已损坏或被恶意构造")
        }
        Msg::EntryOutside { path } => format!("zip 条目或路径 \"{path}\" 指向材料包以外，已拒绝"),
        Msg::EntryNameInvalid { path } => {
            format!("路径 \"{path}\" 不合规范（应为以 / 分隔的相对路径，不含空段或控制字符）")
        }
        Msg::EntryNameUndecodable { index } => {
            format!("zip 第 {index} 个条目的文件名无法识别（既非 UTF-8 也非 GBK）")
        }
        Msg::EntryEncrypted { path } => format!("zip 条目 \"{path}\" 已加密，无法读取"),
        Msg::FileUnreadable { path, detail } => format!("无法读取“{path}”：{}", os_error(detail)),
        Msg::SymlinkRefused { path } => format!("\"{path}\" 是符号链接，已拒绝"),
        Msg::TooDeep { path } => format!("文件夹 \"{path}\" 层级过深"),
        Msg::DuplicateEntry { path, other } => {
            format!("\"{path}\" 与 \"{other}\" 是同一路径（仅大小写不同），已拒绝")
        }
        Msg::TooManyEntries { max } => format!("材料包中的文件超过 {max} 个"),
        Msg::NotRegularFile { path } => format!("\"{path}\" 不是普通文件"),
        Msg::PackageTooLarge { size: s, max } => {
            format!("材料包解压后共 {}，超过上限 {}", size(*s), size(*max))
        }
        Msg::ZipCorrupt { file, detail } => format!("zip 文件“{file}”已损坏或不完整：{detail}"),
        Msg::FileTooLarge { path, size: s, max } => {
            format!("文件 \"{path}\" 大小 {} 超过上限 {}", size(*s), size(*max))
        }
        Msg::ZipBomb { path, ratio, max } => {
            format!("zip 条目 \"{path}\" 压缩比 {ratio}:1 超过 {max}:1，疑似压缩炸弹，已拒绝（未解压）")
        }
        Msg::SizeMismatch { path, declared } => {
            format!("zip 条目 \"{path}\" 的实际大小与声明的 {declared} 字节不符，已拒绝")
        }
        Msg::FileMissing { path } => format!("文件 \"{path}\" 在材料包中不存在"),
        Msg::NotAPackage { path } => format!(
            "“{path}”不是材料包：应为含 dossier.json 或 candidates.xlsx（或 .xls）的文件夹、zip 文件，或专家名单"
        ),
        Msg::ManifestMissing => "材料包根目录中没有 dossier.json 或 candidates.xlsx（或 .xls）".into(),
        Msg::SameFileTwoHashes { path } => format!("文件 \"{path}\" 被多处引用但校验值不一致"),
        Msg::OsFilesSkipped { count, names } => {
            format!("已跳过 {count} 个操作系统自动生成的文件（不是申报材料，未导入）：{names}")
        }
        Msg::UnreferencedFile { path } => format!("文件 \"{path}\" 未被任何申报人引用（不影响导入）"),
        Msg::FileTypeRefused { path } => format!("文件 \"{path}\" 不是 PDF、JPEG 或 PNG（按文件内容判断）"),
        Msg::HashMismatch { path } => format!("文件 \"{path}\" 的校验值不符（文件可能已损坏或被替换）"),
        Msg::Cancelled => "导入已取消，会议未作任何更改".into(),
        Msg::SpreadsheetTooLarge { file, part, detail } => {
            format!("表格“{file}”中的“{part}”声明的大小超出表单所需（{detail}），可能已损坏或被构造，已拒绝读取")
        }
        Msg::SpreadsheetUnreadable { file, detail } => format!("无法读取表格“{file}”：{detail}"),
        Msg::SheetMissing { sheet } => format!("表格中缺少工作表“{sheet}”"),
        Msg::UnknownColumn { sheet, column } => format!("工作表“{sheet}”中的列“{column}”无法识别（已忽略）"),
        Msg::CellNotInteger { value } => format!("“{value}”不是整数"),
        Msg::CellNotBoolean { value } => format!("“{value}”不是 是/否"),
        Msg::UnknownCandidate { id } => format!("申报编号“{id}”在“申报人”工作表中不存在"),
        Msg::CandidateExists { id, other, this } => {
            format!("材料包“{this}”中的申报编号“{id}”已由材料包“{other}”导入本会议")
        }
        Msg::AlreadyImported { when } => format!("该材料包已于 {when} 导入本会议，无需重复导入"),
        Msg::RosterAlreadyImported => "本会议已导入评审专家名单".into(),
        Msg::CliPackage { path } => format!("材料：{path}"),
        Msg::CliKind { committee } => {
            format!("类型：{}", if *committee { "评审专家名单" } else { "申报材料包" })
        }
        Msg::CliCounts { candidates, members, files, bytes } => {
            if *members > 0 {
                format!("评审专家 {members} 名")
            } else {
                format!("申报人 {candidates} 名，证明文件 {files} 个，共 {}", size(*bytes))
            }
        }
        Msg::CliErrors { count } => format!("错误 {count} 项："),
        Msg::CliWarnings { count } => format!("提示 {count} 项："),
        Msg::CliVerdict { ok } => (if *ok {
            "结论：可以导入"
        } else {
            "结论：不能导入，请按上述错误修改后重试"
        })
        .into(),
        Msg::CliImported => "已导入会议".into(),
        Msg::CliMeetingMissing { path } => format!("会议文件“{path}”不存在或不是 Conclave 会议"),
        Msg::CandidateNotFound { id } => format!("找不到申报人 {id}"),
        Msg::EvidenceChanged { sha256 } => format!(
            "证明文件已被改动（校验值与导入时不符：{}…），为防止误导，不予显示",
            sha256.chars().take(12).collect::<String>()
        ),
        Msg::EvidenceMissing { sha256 } => {
            format!("证明文件已从会议文件夹中丢失（{}…）", sha256.chars().take(12).collect::<String>())
        }
        Msg::NoRoster => "尚未导入评审专家名单".into(),
        Msg::MemberNotFound { id } => format!("名单中没有编号为 {id} 的评审专家"),
        Msg::RulesFrozen => "第一轮表决已开始，表决规则已锁定，不能再修改".into(),
        Msg::RulesInvalid { field } => {
            format!("表决规则“{field}”的设置不合理（比例应在 0 到 1 之间，轮次 1–10）")
        }
        Msg::NoQuorum { present, needed } => {
            format!("出席人数 {present} 人，未达到法定人数 {needed} 人，不能开始表决")
        }
        Msg::NoChairPresent => "主任委员或副主任委员未出席，不能开始表决".into(),
        Msg::RoundAlreadyOpen { id } => format!("第 {id} 轮表决尚未结束，请先结束该轮"),
        Msg::NoCandidatesForRound => "没有需要表决的申报人".into(),
        Msg::MaxRoundsReached { id, max } => format!("申报人 {id} 已表决 {max} 轮，达到规则允许的上限"),
        Msg::ReasonRequired { id } => format!("申报人 {id} 已表决过；复议必须填写理由"),
        Msg::RoundNotFound { id } => format!("找不到第 {id} 轮表决"),
        Msg::RoundNotOpen { id } => format!("第 {id} 轮表决已结束，不能再投票"),
        Msg::RoundNotClosed { id } => format!("第 {id} 轮表决尚未结束"),
        Msg::RoundAlreadyConfirmed { id } => format!("第 {id} 轮表决结果已确认"),
        Msg::NotPresent { name } => format!("{name} 未签到或已离场，不能投票（不得委托他人投票或补充投票）"),
        Msg::AlreadyVoted { name } => format!("{name} 已在本轮投票，不能重复投票"),
        Msg::NothingToVote { name } => format!("{name} 在本轮没有需要表决的申报人（均已回避）"),
        Msg::BallotIncomplete { candidate } => format!("申报人 {candidate} 尚未选择 同意/不同意/弃权"),
        Msg::BallotUnexpected { candidate } => format!("申报人 {candidate} 不在该委员本轮的选票上"),
        Msg::TerminalCardUsed => "这张终端卡已经配对过一台终端；每张卡只能配对一次。如需换用其他设备，或并非本人配对，请向会务人员领取新卡（旧卡和已配对的终端随之作废）".into(),
        Msg::TerminalTokenUnknown => "终端卡无效：卡片已重新签发、已作废或链接不完整，请向会务人员领取新卡".into(),
        Msg::TerminalNotPaired => "本终端尚未配对或配对已失效，请扫描终端卡上的二维码".into(),
        Msg::TerminalForbidden => "终端不能进行此操作".into(),
        Msg::TerminalTooFast => "请求过于频繁，请稍候再试".into(),
        Msg::NoTerminalRound => "当前没有在终端上进行的表决".into(),
        Msg::TerminalUrlUnknown => "终端卡上要印会场网络的网址：请先开启会场网络，或指定网址（--url https://主机:端口/t/）".into(),
        Msg::TerminalUrlInvalid { url } => format!("网址 {url} 无效：应以 https:// 开头，例如 https://192.168.1.10:8443/t/"),
        Msg::ServerNotStarted { detail } => format!("会场网络未能开启：{detail}"),
        Msg::ServerFingerprint { fingerprint } => format!("证书指纹（SHA-256）：{fingerprint}"),
        Msg::TerminalRevoked => "已作废".into(),
        Msg::TerminalPaired => "已配对".into(),
        Msg::TerminalIssued => "已发卡，未配对".into(),
        Msg::TerminalNoCard => "未发卡".into(),
        Msg::WrongPin => "个人密码不正确".into(),
        Msg::SecretaryPinNeeded => "请输入秘书密码".into(),
        Msg::SecretaryPinWrong => "秘书密码不正确".into(),
        Msg::SecretaryPinNotSet => "本会议没有设置秘书密码：请委员输入本人的个人密码解锁，或先设置秘书密码".into(),
        Msg::SecretaryPinFormat => "秘书密码须为 6–12 位数字".into(),
        Msg::SecretaryPinMismatch => "两次输入的秘书密码不一致".into(),
        Msg::StationCooling { tries, seconds } => format!("密码已连续输错 {tries} 次，投票台暂停解锁：请 {seconds} 秒后再试"),
        Msg::StationLocked => "投票站未解锁：请先输入个人密码（或由秘书输入秘书密码）".into(),
        Msg::ChairPinNeeded => "此操作须由主任委员输入其个人密码（主任委员缺席或回避时由副主任委员输入）".into(),
        Msg::NotChair { name } => format!(
            "{name} 不是主任委员：此操作须由主任委员输入其个人密码（主任委员缺席或回避时由副主任委员输入）"
        ),
        Msg::RecusedHere { name, candidates } => {
            format!("{name} 对 {candidates} 须回避，不能主持此项；请由副主任委员输入个人密码")
        }
        Msg::VerifyNotPdf => "文件不是可读的 PDF".into(),
        Msg::VerifyNoSeal => {
            "文件中没有 Conclave 数字签章（不是本系统打印的结果文件，或签章已被删除）".into()
        }
        Msg::VerifyBadSignature => "数字签名无效：签章数据被改动或签名不属于该公钥".into(),
        Msg::VerifyContentChanged => "页面内容与签章数据不符：打印内容已被改动".into(),
        Msg::VerifyNoByteSignature => {
            "文件没有字节签名：不是本版本 Conclave 打印的签章文件，或签名已被删除".into()
        }
        Msg::VerifyChangedAfterSigning => "签名之后文件又被追加或改写（增量更新），不是签章时的原件".into(),
        Msg::VerifyBytesChanged => "文件字节与签名不符：签章之后文件被改动".into(),
        Msg::VerifySeveralSignatures => "文件含有多个签名：签章文件只应签名一次".into(),
        Msg::VerifyAuthentic { meeting, document, code, key } => {
            format!("真实且未被改动：{meeting}，{document}；校验码 {code}；会议公钥指纹 {key}（请与已签字的纸质会议记录上印的指纹核对）")
        }
        Msg::VerifyDocResults { round } => format!("第 {round} 轮表决结果"),
        Msg::ScanNotImage => "图片无法读取：请提供 PNG 或 JPEG 格式的页面照片或扫描件".into(),
        Msg::ScanNoCode => {
            "图片中没有找到可读的 Conclave 页面二维码：请拍摄或扫描整页，二维码清晰、不反光、不被遮挡".into()
        }
        Msg::ScanBadSignature => "页面二维码的签名无效：二维码内容被改动，或不是会议签章所印".into(),
        Msg::ScanPage { page, pages, code } => format!("第 {page} 页 共 {pages} 页 · 校验码 {code}"),
        Msg::ScanAuthentic { meeting, document, key } => format!(
            "页面二维码真实：{meeting} · {document}\n会议公钥指纹：{key}（请与签字的会议记录核对）\n本页应有以下各行，请与纸面逐行核对："
        ),
        Msg::VerifyDocMinutes => "会议记录".into(),
        Msg::VerifyDocPublicity => "公示名单".into(),
        Msg::NobodyPresent => "还没有委员签到".into(),
        Msg::PaperRound { id } => format!("第 {id} 轮是纸质选票表决，不在投票台上投票"),
        Msg::NotPaperRound { id } => format!("第 {id} 轮不是纸质选票表决"),
        Msg::PaperNotAgreed { id } => {
            format!("第 {id} 轮是纸质选票表决：两位监票人分别录入且结果一致后才能计票结束")
        }
        Msg::PaperTooMany { candidate, total, max } => format!(
            "{candidate}：同意、不同意、弃权合计 {total} 票，超过可投票数 {max}（出席且未回避的委员人数）"
        ),
        Msg::ScrutineerMissing => "请录入监票人输入本人的投票个人密码".into(),
        Msg::SameScrutineer { name } => format!("两次录入须由两位不同的监票人完成：{name} 已录入另一份"),
        Msg::ReadOnlyArchive => "这是从归档打开的会议，只能查看，不能修改".into(),
        Msg::ArchiveWritten { files, bytes } => format!("归档完成：{files} 个文件，{}", super::size(*bytes)),
        Msg::ArchiveAuthentic { meeting, files, ballots, proofs, key } => {
            format!("归档真实且完整：{meeting}；{files} 个文件的哈希、签名、审计链、选票与结果均核对无误（重新核验加密选票 {ballots} 张、证明 {proofs} 个）；会议公钥指纹 {key}（请与已签字的纸质会议记录上印的指纹核对）")
        }
        Msg::ArchiveUnreadable { detail } => format!("不是可读的归档文件（zip）：{}", os_error(detail)),
        Msg::ArchiveNoIndex => "归档中没有可读的签名索引（index.json / index.sig）".into(),
        Msg::ArchiveBadSignature => "归档索引的签名无效：索引被改动过，或不是会议密钥签署的".into(),
        Msg::ArchiveKeyMismatch => "公钥与归档索引中的会议公钥不一致".into(),
        Msg::ArchiveUnlisted { path } => format!("{path}：索引中没有这个文件（被加入或重复）"),
        Msg::ArchiveChanged { path } => format!("{path}：内容与索引中的哈希不符（被改动过）"),
        Msg::ArchiveMissing { path } => format!("{path}：索引中列出的文件不见了"),
        Msg::ArchiveBallotsDisagree { round, candidate } => {
            format!("第 {round} 轮 {candidate}：选票数与表决结果不符")
        }
        Msg::ArchiveNotAuthentic { problems } => format!("归档未通过核验，不能打开：{problems}"),
        Msg::CliSecretMissing { what } => format!("标准输入中缺少{what}（每行一个，不要写在命令行参数里）"),
        Msg::CliChoiceInvalid { item } => {
            format!("表决意见“{item}”无法识别：应写成 申报人编号=for|against|abstain，以逗号分隔")
        }
        Msg::CliSignedIn { member, present } => {
            format!("{member}：{}", if *present { "已签到" } else { "已离席" })
        }
        Msg::CliRecusalsProposed { count } => format!("新提出回避 {count} 项，待确认"),
        Msg::CliRecusalSet { member, candidate, confirmed } => {
            format!("{member} / {candidate}：{}", if *confirmed { "确认回避" } else { "不需回避" })
        }
        Msg::CliRecusalMemberCandidate => "请用 --all，或同时用 --member 和 --candidate 指定一项回避".into(),
        Msg::CliRoundOpened { id } => format!("第 {id} 轮表决已开始"),
        Msg::CliCast { round, closed } => format!(
            "已投票（第 {round} 轮）{}",
            if *closed { "；全体应投委员均已投票，本轮已结束并计票" } else { "" }
        ),
        Msg::CliRoundClosed { id } => format!("第 {id} 轮表决已结束并计票"),
        Msg::CliRoundConfirmed { id } => format!("第 {id} 轮表决结果已确认"),
        Msg::CliNoDataDir => "找不到本机的应用数据目录：请设置环境变量 CONCLAVE_DATA_DIR".into(),
        Msg::NoDisplay => "Conclave 的窗口需要图形桌面（没有找到显示器：DISPLAY / WAYLAND_DISPLAY 未设置）。不开窗口也能使用命令行：conclave --help".into(),
        Msg::NoWebView2 => "Conclave 的窗口需要 Microsoft Edge WebView2 Runtime，这台电脑上没有找到。Windows 11 和多数 Windows 10 已自带；缺少时请安装微软的“WebView2 Runtime 常青版”：https://developer.microsoft.com/microsoft-edge/webview2/ （不联网的电脑：在别的电脑上下载“独立安装程序 x64”，拷过来运行）。不开窗口也能使用命令行：conclave --help".into(),
        Msg::NoWindowBuild => "这个 conclave 是不带窗口的版本（只有命令行和会场网络）。用法：conclave --help；要用窗口，请安装完整的 Conclave。".into(),
        Msg::CliNoArchives => "没有找到要核验的归档（.zip 文件）。".into(),
        Msg::CliVerifyManyHead => "文件\t会议\t日期\t评审委员会\t已确认轮次\t达到通过票数人数\t核验结果".into(),
        Msg::CliVerifyManyOk => "通过核验".into(),
        Msg::CliVerifyManyFailed { steps, problem } => format!("未通过（{steps}）：{problem}"),
        Msg::CliVerifyManyTotal { total, bad } => format!("共 {total} 个归档，{bad} 个未通过核验。"),
        Msg::PrintHoldsSecrets => "个人密码条和终端卡含有密码，不经系统阅读器打印：请用“保存 PDF”保存到自选位置（如 U 盘）后再打印。".into(),
        Msg::NoPdfViewer { path } => format!("这台电脑上没有找到打开 PDF 的程序。文件已保存在 {path}，请用任一 PDF 阅读器打开后打印。"),
        Msg::PinWord => "个人密码".into(),
        Msg::SecretaryPinWord => "秘书密码".into(),
        Msg::ChairPinWord => "主任委员的个人密码".into(),
        Msg::StoredRowInvalid { table, key, detail } => format!("会议文件已损坏：表 {table} 中 {key} 这一行无法读取（{detail}）；请用备份或归档恢复"),
        Msg::NoTrustees => "还没有指定计票人：请先指定主任委员和两名监票人并各自设置口令，之后才能开始表决".into(),
        Msg::TrusteeNameEmpty => "请填写计票人的姓名".into(),
        Msg::TrusteeTwice { name } => format!("{name} 被指定了两次：三名计票人须是三个不同的人"),
        Msg::PassphraseTooShort { name, min } => format!("{name} 的口令太短：至少 {min} 个字符"),
        Msg::TrusteesAlreadySet => "计票人已经指定，不能更改".into(),
        Msg::KeyFailed { detail } => format!("无法生成计票密钥：{detail}"),
        Msg::TrusteeNotFound { name } => format!("{name} 不是本次会议的计票人"),
        Msg::WrongPassphrase { name } => format!("{name} 的口令不正确（未做任何更改）"),
        Msg::CliOverridden { id } => format!("已记录：申报人 {id} 准予表决"),
        Msg::PeriodEndBeforeStart => "公示截止日期早于开始日期".into(),
        Msg::CalendarUncovered { date, years } => format!(
            "内置的工作日历只包含 {years} 年，不含 {date}：无法自动计算公示截止日期，请手工填写截止日期（CLI：--end YYYY-MM-DD）"
        ),
        Msg::OverrideReasonNeeded => "请填写准予表决的理由（将记入会议记录）".into(),
        Msg::NotBarred { id } => format!("申报人 {id} 未被资格审查排除，无需准予表决"),
        Msg::OverrideTwice { id } => format!("申报人 {id} 已经准予表决，不能重复记录"),
        Msg::CandidatesBarred { list } => {
            let items: Vec<String> = list
                .iter()
                .map(|(c, keys)| {
                    let why: Vec<String> = keys.iter().map(|k| super::labels::label(k, super::Lang::Zh)).collect();
                    format!("{c}（{}）", why.join("、"))
                })
                .collect();
            format!(
                "资格审查未通过，不能进入表决：{}。如确需表决，请由主任委员记录准予表决的理由",
                items.join("；")
            )
        }
        Msg::RecusalsPending { pairs } => {
            let list: Vec<String> = pairs.iter().take(5).map(|(m, c)| format!("{m}（{c}）")).collect();
            let more = if pairs.len() > list.len() { "等" } else { "" };
            format!(
                "还有 {} 项回避待确认：{}{more}。请在“回避”中逐项确认或驳回（或“全部确认”），之后才能开始表决",
                pairs.len(),
                list.join("、")
            )
        }
        Msg::ChairPassphraseNeeded { name } => {
            format!("打印带签章的文件和导出归档需要主任委员（{name}）输入口令")
        }
        Msg::SameTrusteeTwice { name } => format!("计票需要两名不同的计票人：{name} 出现了两次"),
        Msg::TallyBeforeClose { id } => format!("第 {id} 轮尚未结束投票：先结束投票，再由两名计票人解密计票"),
        Msg::AlreadyTallied { id } => format!("第 {id} 轮已经计票"),
        Msg::NotSealedRound { id } => format!("第 {id} 轮不是加密投票的表决"),
        Msg::BallotRefused { detail } => format!("选票未被接受：{detail}"),
        Msg::TallyFailed { candidate, detail } => format!("{candidate}：解密计票失败（{detail}）；选票箱或计票数据可能被改动"),
        // ceremony
        Msg::CeremonyFirst => "还没有生成会议密钥：请先在“计票人”一步指定主任委员和两名监票人（密钥生成），之后才能加盖电子签章、导出归档或开始表决".into(),
        Msg::NoEscrow => "本会议由旧版本创建，签章密钥只能由主任委员用口令解锁".into(),
        Msg::KeyNotRecorded { what: KeyKind::Signing } => "会议文件中的签章密钥不是密钥生成时记录在审计链中的那一把：文件已被改动，拒绝使用".into(),
        Msg::KeyNotRecorded { what: KeyKind::Election } => "会议文件中的计票公钥不是密钥生成时记录在审计链中的那一把：文件已被改动，拒绝用它加密或接收选票".into(),
        Msg::SealSameTrustee { name } => format!("解锁签章需要两名不同的计票人：{name} 出现了两次"),
        Msg::ReceiptArchiveNotAuthentic => "归档未通过核验（用 conclave verify 查看原因），无法核对选票回执".into(),
        Msg::ReceiptFound { tracker, round, head } => format!("✓ 选票核验码 {tracker} 在第 {round} 轮的票箱中，投票后显示的审计链头 {head} 与归档一致"),
        Msg::ReceiptHeadDiffers { tracker, round, head, seen } => format!("✗ 选票核验码 {tracker} 在第 {round} 轮，但归档中这次投票后的审计链头是 {seen}，不是您看到的 {head}：投票之后审计链被改写过"),
        Msg::ReceiptMissing { tracker } => format!("✗ 归档中没有选票核验码 {tracker} 的投票记录：这张选票不在票箱中"),
        Msg::PinNotRecorded { member } => format!("会议文件中 {member} 的投票密码记录不是发放时记入审计链的那一条：文件已被改动，拒绝使用"),
        Msg::CliCeremony { election, signing } => format!("计票公钥指纹：{election}\n文件签章公钥指纹：{signing}\n请打印密钥生成记录（conclave print key-ceremony），由三名计票人核对签字"),
        Msg::AuditCastBallot { tracker } => format!("选票 {tracker} 已投出，不能再检验"),
        Msg::AuditAgain { tracker } => format!("选票 {tracker} 已检验过，不再重复记录"),
        Msg::CastAudited { tracker } => format!("选票 {tracker} 已被检验、随机数已公开，不能投出：请重新核对后确认投票"),
        Msg::AuditedNotFound { round, tracker } => format!("第 {round} 轮没有核验码为 {tracker} 的被检验选票"),
        Msg::AuditedUnreadable => "保存的被检验选票无法读取：文件已被改动".into(),
        Msg::AuditedLinesDiffer => "终端公开的随机数与选票的候选人行不对应：终端没有如实加密".into(),
        Msg::AuditedMismatch { candidate, option } => format!("申报人 {candidate} 的“{}”：终端公开的随机数与密文不符，终端没有如实加密。请立即告知主任委员和监票人", option_zh(option)),
        Msg::AuditedNotZeroOrOne { candidate, option } => format!("申报人 {candidate} 的“{}”加密的既不是 0 也不是 1：终端没有如实加密", option_zh(option)),
        Msg::AuditedNotOneChoice { candidate } => format!("申报人 {candidate} 这一行加密的不是恰好一个选择：终端没有如实加密"),
        Msg::ArchiveAuditedWrong { round, tracker, detail } => format!("第 {round} 轮被检验的选票 {tracker}：{detail}"),
        Msg::ArchiveAuditedInBox => "它同时在票箱中：被检验的选票不得投出".into(),
        Msg::ArchiveAuditedDiffer { file, chain } => format!("被检验的选票与审计链的检验记录不一致：归档中 {file} 张，审计链记录 {chain} 张"),
        Msg::CliAudited { round, tracker } => format!("第 {round} 轮被检验的选票 {tracker}：随机数与密文一致，它加密的选择是："),
        Msg::CliAuditedLine { name, id, option } => format!("{name}（{id}）：{}", option_zh(option)),
        Msg::CliNoAudited => "没有被检验的选票".into(),
        Msg::AuditCastMissing { round } => format!("第 {round} 轮：票箱中的这张选票在审计链中没有投票记录：文件已被改动"),
        Msg::ArchiveCastsDiffer { detail } => format!("票箱与审计链中逐张记录的投票不一致：{detail}"),
        Msg::PassphraseWord => "计票人口令".into(),
        Msg::ChairPassphraseWord => "主任委员口令".into(),
        Msg::CliTwoNeeded { what } => format!("{what} 须给出两次（两个人）"),
        Msg::CliBoxClosed { id } => format!("第 {id} 轮投票已结束；请两名计票人输入口令解密计票（conclave round tally）"),
        Msg::ArchiveSealedWrong { round, detail } => format!("第 {round} 轮加密选票：{detail}"),
        Msg::ArchiveBallotWord => "选票".into(),
        Msg::ArchiveDuplicateBallot => "同一张选票出现了不止一次".into(),
        Msg::ArchiveBoxRoot => "选票箱根哈希与选票不符（选票被增删或改动）".into(),
        Msg::ArchiveBoxRootChain => "选票箱根哈希与审计链中结束投票时记录的不符".into(),
        Msg::ArchiveBallotCount { candidate, ballots, voters } => format!("{candidate}：{ballots} 张选票，但登记已投票且应投的委员为 {voters} 人"),
        Msg::ArchiveTallyWrong { candidate } => format!("{candidate}：解密证明、选票之和与公布的票数不一致（结果或计票数据被改动）"),
        Msg::ArchiveLoggedTwice => "审计链中同一轮的结束或计票记录出现了两次".into(),
        Msg::ArchiveBoxMissing => "审计链记录了这一轮的加密投票，但归档中没有它的选票箱".into(),
        Msg::ArchiveKeysDiffer => "归档中的计票公钥与审计链中指定计票人时记录的不一致".into(),
        Msg::NotTallied { id } => format!("第 {id} 轮尚未计票：须由两名计票人输入口令解密计票后才能确认结果"),
        Msg::ChoicesWord => "表决意见".into(),
        Msg::ArchiveHeadNotInChain => "结果表上印的审计链头不在本归档的审计链中（审计记录被改写过）".into(),
        Msg::ArchiveEligibilityReplay { detail } => format!(
            "应投委员名单与按审计链中的签到和回避记录回放的结果不符：{detail}（签到或回避在审计链之外被改动过）"
        ),
        Msg::ArchiveEligibilityChanged => "应投委员名单或出席人数与审计链中开始表决时记录的不一致（被改动过）".into(),
        Msg::ArchiveOtherMeeting => "归档中的选票箱属于另一次会议".into(),
        Msg::CliRoundMissing => "请用 --round 指定表决轮次".into(),
        Msg::ExportRoundOpen { id } => format!("第 {id} 轮表决尚未结束，结束并计票后才能归档"),
        Msg::PaperEntryNumber => "录入次数只能是第 1 次或第 2 次".into(),
        Msg::KeyMismatch { expected, found } => {
            format!("签章所用的密钥（指纹 {found}）不是指定的会议公钥（指纹 {expected}）")
        }
        Msg::NoConfirmedRound => "还没有主任委员确认的表决结果".into(),
        // pins
        Msg::PinAmbiguous => "此个人密码无法使用，请向秘书重新领取密码条".into(),
        Msg::PinDrawFailed => "无法生成与他人不重复的个人密码，请重试".into(),
        Msg::PassphraseWeak { name, min_bits } => format!(
            "{name} 的口令太容易被猜到（估计强度不足 {min_bits} 位）：请使用程序生成的口令，或换一个更长、更随机的口令"
        ),
        // replay
        Msg::ReplayRoster { source, member, says } => format!("{source}：评审委员名单与审计链不符（{member}）：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayAttendance { source, member, says } => format!("{source}：{member} 的签到记录与审计链不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayRecusal { source, member, candidate, says } => format!("{source}：{member} 对 {candidate} 的回避与审计链不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayOverride { source, candidate, says } => format!("{source}：{candidate} 的资格审查破格表决与审计链不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayRules { source, says } => format!("{source}：表决规则与审计链不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayRound { source, round, says } => format!("{source}：第 {round} 轮表决的登记与审计链不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayPaperCount { source, round, candidate, says } => format!("{source}：第 {round} 轮纸质票 {candidate} 的票数与审计链中两位监票人一致录入的不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayResult { source, round, candidate, says } => format!("{source}：第 {round} 轮 {candidate} 的表决结果与审计链中计票时记录的不符：审计链为“{}”，此处为“{}”", says.chain, says.shown),
        Msg::ReplayNone => "无".into(),
        // tlskey
        Msg::TerminalNetworkOff => "终端卡上要印会场网络证书的指纹，而每次启动本程序后首次开启会场网络时证书都会重新生成：请先开启会场网络，并在网络开启期间打印终端卡".into(),
        Msg::ServerFingerprintFresh => "证书私钥只在本进程内存中，从不保存：本次启动的指纹与之前的不同，此前打印的终端卡上的指纹已不适用，请评审专家以此处显示（投影）的指纹为准；卡上的配对链接仍然有效".into(),
        // flow
        Msg::NoPinsIssued { names } => format!(
            "还没有发放投票密码：请先打印投票密码条（在“签到与规则”页点“为已签到专家生成个人密码”）。{} 还没有个人密码",
            names.join("、")
        ),
        Msg::NoStandIn { chair, candidates } => format!(
            "主任委员 {chair} 对 {candidates} 须回避，出席的副主任委员中没有可以代为主持的：请副主任委员签到，或把这些申报人放到另一轮表决"
        ),
        Msg::PinFor { chair, names, chair_recused } => {
            let who = names.join("或");
            match (chair, chair_recused) {
                (true, _) => format!("请主任委员 {who} 输入个人密码"),
                (false, Some((c, list))) => {
                    format!("主任委员 {c} 对 {} 须回避：请副主任委员 {who} 输入个人密码", list.join("、"))
                }
                (false, None) => format!("主任委员缺席：请副主任委员 {who} 输入个人密码"),
            }
        }
        Msg::StepImportFirst => "请先导入委员名单和材料包".into(),
        Msg::StepNoDossiers => "还没有导入申报人的材料包".into(),
        Msg::StepRecusalsNotProposed => "还没有检查回避：请点“自动识别可能的回避”，再逐项确认或驳回".into(),
        Msg::StepEligibilityOut { names } => {
            format!("{} 未通过资格审查，不进入表决（主任委员可记录理由后准予表决）", names.join("、"))
        }
        Msg::StepSignInFirst => "还没有委员签到".into(),
        Msg::StepPinsMissing { names } => {
            let who = match names.len() {
                0..=3 => names.join("、"),
                n => format!("{}等 {n} 人", names[..3].join("、")),
            };
            format!("{who}还没有个人密码：请生成个人密码并打印密码条")
        }
        Msg::StepCardsNotPrinted => "还没有打印终端卡：请开启会场网络，再打印终端卡发给各位委员".into(),
        Msg::StepRoundOpen { id, done, expected } => format!("第 {id} 轮表决进行中：已投票 {done} / {expected}"),
        Msg::StepRoundsLeft { count } => format!("还有 {count} 名申报人未表决"),
        Msg::StepNoResults => "还没有结束的表决".into(),
        Msg::StepAwaitConfirm { id } => format!("第 {id} 轮已计票，待主任委员确认结果"),
        Msg::StepPrintsMissing { rounds, minutes } => {
            let mut what: Vec<String> = rounds.iter().map(|r| format!("第 {r} 轮表决结果统计表")).collect();
            if *minutes {
                what.push("会议记录".into());
            }
            format!("还没有打印：{}", what.join("、"))
        }
        Msg::StepNoConfirmed => "还没有主任委员确认的表决结果".into(),
        Msg::StepNotArchived => "结果确认后还没有导出归档".into(),
        // verifier
        Msg::VerifyStepTitle { id } => match id.as_str() {
            "V1" => "归档索引与签名",
            "V2" => "文件哈希与大小",
            "V3" => "审计链",
            "V4" => "密钥仪式与密钥",
            "V5" => "按审计链重放会议",
            "V6" => "各轮选票登记与资格摘要",
            "V7" => "每张选票的证明",
            "V8" => "票箱与审计链中的投票记录",
            "V9" => "同态求和",
            "V10" => "解密证明与拉格朗日组合",
            "V11" => "按规则计票",
            "V12" => "纸质票计票",
            "V13" => "盖章文件（PDF）",
            other => other,
        }
        .into(),
        Msg::VerifyStepFailed { id, title } => format!("第 {id} 步未通过：{title}"),
        Msg::ArchiveSpecUnsupported { spec } => {
            format!("归档索引的规范版本为 {spec}，本程序只认识第 0、1 版：无法按其规则核验")
        }
        Msg::StandardNotText => "申报条件表不是文本文件（应为 UTF-8 编码的 JSON）".into(),
        Msg::StandardSyntax { line, detail } => format!("申报条件表第 {line} 行格式不正确：{detail}"),
        Msg::StandardInvalid { detail } => format!("申报条件表内容有误：{detail}"),
        Msg::StandardLooser { what, unit, national } => {
            format!("单位标准不得低于国家标准：{what}，单位表为 {unit}，国家表为 {national}")
        }
        Msg::StandardFrozen => "第一轮表决已开始，申报条件和岗位数不能再修改".into(),
        Msg::ReferenceDateInvalid { value } => {
            format!("资历计算截止日期“{value}”无效，应为 YYYY-MM-DD 格式的真实日期")
        }
        Msg::PostsInvalid { title, value } => format!("{title} 的岗位数“{value}”无效，应为 0 至 10000 的整数"),
        Msg::CliStandardSet { what } => format!("已设置：{what}"),
        Msg::CondHeld { edu, title, months, need } => {
            format!("{}，{} {} 年 {} 个月，需 {need} 年", edu_zh(edu), title_zh(title), months / 12, months % 12)
        }
        Msg::CondNoYears { edu } => format!("{}，无任职年限要求", edu_zh(edu)),
        Msg::CondEducationShort { edu, applied } => {
            format!("学历为{}，不具备申报{}的学历条件", edu_zh(edu), title_zh(applied))
        }
        Msg::CondWrongTitle { current, after } => {
            format!("现职称为{}，需取得{}职称后计算年限", title_zh(current), title_zh(after))
        }
        Msg::CondMissing { items } => format!(
            "未能判断：缺少{}",
            items
                .iter()
                .map(|i| match *i {
                    "education" => "学历",
                    "current_title" => "现职称",
                    _ => "取得现职称时间",
                })
                .collect::<Vec<_>>()
                .join("、")
        ),
        Msg::CondUnknownEducation { value } => format!("未能判断：学历“{value}”无法识别"),
        Msg::CondDateImprecise { value } => {
            format!("未能判断：取得现职称时间“{value}”不精确到日，结果取决于具体日期")
        }
        Msg::CondNotInTable { applied } => format!("未能判断：申报条件表中没有{}", title_zh(applied)),
        Msg::CondRelaxed { counted, inner } => {
            format!("艰苦边远地区和基层一线，学历按{}计；{}", edu_zh(counted), render(inner))
        }
        Msg::CondSkipped { route, normal } => format!(
            "{}，不核查学历资历（正常申报：{}）",
            crate::domain::vocab::label(&format!("track.{route}"), crate::i18n::Lang::Zh).unwrap_or(route),
            render(normal)
        ),
        Msg::PostsTie { title, names, left } => format!(
            "{}：{names} 同意票数相同，并列于第 {left} 个岗位的分界处，须由并列者重新投票决定",
            title_zh(title)
        ),
        Msg::VerifyNotChecked => "未检查".into(),
    }
}

fn option_zh(o: &str) -> &'static str {
    match o {
        "for" => "同意",
        "against" => "不同意",
        _ => "弃权",
    }
}

/// An operating system's error text (as Rust prints it, "No such file or
/// directory (os error 2)") in Chinese, by its error number; any other text
/// as it is.
fn os_error(detail: &str) -> String {
    let code = detail
        .rsplit_once("(os error ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .and_then(|n| n.parse::<i32>().ok());
    let text = match code {
        Some(2) => "文件不存在",
        Some(13) | Some(1) => "没有权限",
        Some(28) => "磁盘已满",
        Some(30) => "磁盘或文件夹只读",
        Some(21) => "这是一个文件夹，不是文件",
        Some(20) => "路径中的某一级不是文件夹",
        Some(36) => "文件名过长",
        Some(17) => "文件已存在",
        Some(5) => "读写出错（磁盘或 U 盘可能有问题）",
        Some(122) => "超出磁盘配额",
        _ => return detail.to_string(),
    };
    text.to_string()
}

fn ty(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "空值",
        JsonType::Bool => "布尔值",
        JsonType::Number => "数字",
        JsonType::Integer => "整数",
        JsonType::String => "文本",
        JsonType::Array => "数组",
        JsonType::Object => "对象",
    }
}

fn edu_zh(code: &str) -> &str {
    crate::domain::vocab::label(&format!("education.{code}"), crate::i18n::Lang::Zh).unwrap_or(code)
}

fn title_zh(code: &str) -> &str {
    crate::domain::vocab::label(&format!("title.{code}"), crate::i18n::Lang::Zh).unwrap_or(code)
}

#[cfg(test)]
mod os_error_tests {
    use super::*;

    #[test]
    fn os_errors_read_in_chinese() {
        let missing = std::fs::read("/nonexistent/conclave").expect_err("missing");
        let msg = Msg::FileUnreadable { path: "材料.pdf".into(), detail: missing.to_string() };
        assert_eq!(msg.render(crate::i18n::Lang::Zh), "无法读取“材料.pdf”：文件不存在");
        assert_eq!(os_error("No space left on device (os error 28)"), "磁盘已满");
        assert_eq!(os_error("invalid zip archive"), "invalid zip archive");
    }
}
