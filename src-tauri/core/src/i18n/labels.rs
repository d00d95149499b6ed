//! Fixed words of the printed documents, Chinese and English side by side.

use super::Lang;

/// The label `key` in `lang`: a vocabulary's word (`title.lab_engineer`,
/// [`crate::domain::vocab::VOCABULARIES`]) or a fixed word of the printed
/// documents; unknown keys print as themselves.
pub fn label(key: &str, lang: Lang) -> String {
    if let Some(word) = crate::domain::vocab::label(key, lang) {
        return word.to_string();
    }
    let (zh, en) = match key {
        "results.title" => ("评审结果表决统计表", "Voting results"),
        "bar.ethics_failed" => ("品德考核不合格", "ethics review failed"),
        "bar.integrity_not_clean" => ("诚信记录有问题", "integrity record not clean"),
        "bar.outside_level" => ("申报职称超出本委员会评审级别", "applied title outside this committee's level"),
        "bar.conditions" => ("不符合申报条件（学历、资历）", "application conditions not met (education, years)"),
        "posts" => ("岗位数（岗位结构比例）", "Posts (post structure)"),
        "posts.beyond" => ("超出岗位数", "beyond the posts"),
        "posts.tie" => ("并列，须重新投票", "tied, to be voted again"),
        "posts.within" => ("岗位数内，通过", "within the posts, passed"),
        "posts.votes" => ("票", "for"),
        "posts.count" => ("岗位数", "posts"),
        "posts.left" => ("本轮可通过", "open this round"),
        "posts.none_reached" => ("无人达到通过票数", "nobody reached the threshold"),
        "posts.rule.title" => ("岗位结构比例", "Post structure"),
        "posts.rule" => (
            "达到通过票数的申报人按同意票数排名，岗位数内者通过；分界处同意票数相同的，不按名单顺序决定，由并列者重新投票",
            "candidates who reach the threshold are ranked by for votes and those within the posts pass; a tie at the boundary is never decided by list order but by a new vote among the tied",
        ),
        "minutes.conditions" => ("申报条件审查", "Application conditions"),
        "minutes.conditions.table" => ("依据", "Standard"),
        "minutes.conditions.unit" => ("单位标准", "unit standard"),
        "minutes.conditions.reference" => ("资历计算截止日期", "Years counted to"),
        "minutes.conditions.mode" => ("不符合者", "Not met"),
        "minutes.conditions.bars" => ("不予表决（主任委员可准予表决并记录理由）", "not voted on (the chair may override with a reason)"),
        "minutes.conditions.flags" => ("仅提示，不影响表决", "flagged only, still voted on"),
        "minutes.col.condition" => ("审查结果", "Result"),
        "minutes.col.condition_detail" => ("学历、资历对照", "Education and years compared"),
        "minutes.barred" => ("资格审查", "Eligibility"),
        "minutes.col.bar" => ("不予表决原因", "Why barred"),
        "minutes.barred.out" => ("不予表决", "not voted on"),
        "minutes.barred.override" => ("主任委员准予表决，理由", "put to the vote by the chair, reason"),
        "box_root" => ("选票箱根哈希", "Ballot box root"),
        "audit_head" => ("审计链头", "Audit chain head"),
        "minutes.trackers" => ("选票核验码（共 {n} 张，按字母顺序）", "Ballot trackers ({n}, sorted)"),
        "minutes.audited" => (
            "已检验（作废、不计票）的选票核验码（共 {n} 张）",
            "Audited ballots (spoiled, not counted), trackers ({n})",
        ),
        "meeting.date" => ("日期", "Date"),
        "meeting.place" => ("地点", "Place"),
        "meeting.level" => ("评审级别", "Level"),
        "round" => ("表决轮次", "Round"),
        "present" => ("出席人数", "Present"),
        "rule" => ("通过标准", "Pass rule"),
        "rule.present" => ("同意票不少于出席评审专家人数的", "for votes at least"),
        "rule.eligible" => ("同意票不少于出席且未回避评审专家人数的", "for votes at least"),
        "col.no" => ("序号", "No."),
        "col.id" => ("申报编号", "Id"),
        "col.name" => ("姓名", "Name"),
        "col.organization" => ("工作单位", "Organisation"),
        "col.title" => ("申报职称", "Applied title"),
        "col.track" => ("申报途径", "Track"),
        "col.for" => ("同意", "For"),
        "col.against" => ("不同意", "Against"),
        "col.abstain" => ("弃权", "Abstain"),
        "col.not_voted" => ("未投", "Not voted"),
        "col.eligible" => ("应投", "Eligible"),
        "col.threshold" => ("通过票数", "Needed"),
        "col.outcome" => ("结果", "Outcome"),
        "passed" => ("通过", "Passed"),
        "failed" => ("未通过", "Not passed"),
        "totals" => ("合计", "Totals"),
        "sign.chair" => ("主任委员（签字）", "Chair (signature)"),
        "sign.scrutineers" => ("监票人（签字）", "Scrutineers (signatures)"),
        "sign.counter" => ("计票人（签字）", "Counter (signature)"),
        "sign.date" => ("日期", "Date"),
        "seal.title" => ("数字签章", "Digital seal"),
        "seal.code" => ("校验码", "Verification code"),
        "seal.key" => ("会议公钥指纹", "Meeting key fingerprint"),
        "seal.how" => ("可在 Conclave 中用“验证文件”核验本文件", "Check this file with Verify a file in Conclave"),
        "seal.page_qr" => ("本页二维码：本页各行及会议签名", "This page's QR code: its rows, signed by the meeting"),
        "seal.scan_how" => (
            "纸质件核验：在 Conclave 中用“验证文件”打开本页的照片或扫描件",
            "On paper: open a photo or scan of this page with Verify a file in Conclave",
        ),
        "not_given" => ("未填写", "Not given"),
        "yes" => ("是", "yes"),
        "committee" => ("评审委员会", "Committee"),
        "no" => ("否", "no"),
        "opinion.reviewers" => ("评议专家", "Reviewers"),
        "opinion.recommendation" => ("评议结论", "Recommendation"),
        "opinion.recommend" => ("推荐", "recommended"),
        "opinion.not_recommend" => ("不推荐", "not recommended"),
        "opinion.votes" => ("评议组表决", "Group vote"),
        "opinion.text" => ("评议意见", "Opinion"),
        "minutes.title" => ("评审会议记录", "Minutes of the review meeting"),
        "minutes.meeting" => ("会议名称", "Meeting"),
        "minutes.attendance_summary" => ("出席情况", "Attendance"),
        "minutes.roster" => ("评审委员会委员", "committee members"),
        "minutes.attended" => ("出席", "attended"),
        "minutes.present_at_end" => ("会议结束时在场", "present at the end"),
        "minutes.quorum" => ("法定人数", "quorum"),
        "minutes.abstain_counts" => ("弃权票计入有效票", "Abstentions count as cast votes"),
        "minutes.max_rounds" => ("每位申报人最多表决轮次", "Rounds allowed per candidate"),
        "minutes.absent" => ("缺席", "absent"),
        "minutes.in" => ("签到", "in"),
        "minutes.out" => ("离席", "left"),
        "minutes.none" => ("无", "None"),
        "minutes.h.attendance" => ("一、出席情况", "1. Attendance"),
        "minutes.h.recusals" => ("二、回避情况", "2. Recusals"),
        "minutes.h.candidates" => ("三、评审对象及评议组意见", "3. Candidates and group opinions"),
        "minutes.h.rounds" => ("四、表决情况", "4. Voting rounds"),
        "minutes.final" => (
            "表决结果汇总（以每位申报人最后一次经确认的表决为准）",
            "Final results (each candidate's last confirmed round counts)",
        ),
        "minutes.final.none" => ("未表决", "not voted on"),
        "minutes.col.outcome" => ("表决结果", "Result"),
        "minutes.h.integrity" => ("五、审计记录与会议公钥", "5. Audit log and meeting key"),
        "minutes.h.signatures" => ("六、出席评审专家签字", "6. Signatures of the members who attended"),
        "minutes.col.role" => ("职务", "Role"),
        "minutes.col.status" => ("签到 / 离席记录", "Signed in / left"),
        "minutes.col.member" => ("回避委员", "Member"),
        "minutes.col.reason" => ("回避原因", "Reason"),
        "minutes.col.opinion" => ("评议组意见", "Group opinion"),
        "minutes.opened" => ("开始", "opened"),
        "minutes.closed" => ("结束", "closed"),
        "minutes.confirmed" => ("主任委员确认", "confirmed by the chair"),
        "minutes.by" => ("确认人", "authorised by"),
        "minutes.unconfirmed" => ("结果未确认", "not confirmed"),
        "minutes.reason" => ("重新表决原因", "reason for the new vote"),
        "minutes.audit_entries" => ("审计记录条数", "Audit log entries"),
        "minutes.audit_hash" => ("审计链末条哈希", "Final hash of the audit chain"),
        "minutes.public_key" => ("会议公钥（Ed25519）", "Meeting public key (Ed25519)"),
        "minutes.recorder" => ("记录人（签字）", "Recorded by (signature)"),
        "publicity.title" => ("评审通过人员公示名单", "Candidates who passed (public notice)"),
        "publicity.intro" => (
            "经{meeting}（{date}）评审表决，以下 {count} 名同志通过评审，现予以公示。",
            "At {meeting} ({date}) the following {count} candidates passed the review. This list is published for public notice.",
        ),
        "publicity.period" => (
            "公示期：______年____月____日至______年____月____日。",
            "Notice period: from ____________ to ____________.",
        ),
        "publicity.period.dates" => (
            "公示期：{start} 至 {end}（{n} 个工作日）。",
            "Notice period: {start} to {end} ({n} working days).",
        ),
        "publicity.contact" => ("受理单位及联系电话", "Office and telephone for objections"),
        "signin.title" => ("评审会议签到表", "Sign-in sheet"),
        "trustee.chair" => ("主任委员", "Chair"),
        "trustee.scrutineer" => ("监票人", "Scrutineer"),
        "ceremony.title" => ("密钥生成记录", "Key ceremony record"),
        "ceremony.at" => ("生成时间", "Made at"),
        "ceremony.col.what" => ("密钥", "Key"),
        "ceremony.col.fingerprint" => ("指纹", "Fingerprint"),
        "ceremony.election" => ("计票公钥（选票按此加密）", "Election key (ballots are encrypted under it)"),
        "ceremony.signing" => ("文件签章公钥", "Document-signing key"),
        "ceremony.share" => ("计票人份额", "Trustee's share"),
        "ceremony.signatures" => ("计票人签字", "Trustees' signatures"),
        "ceremony.note" => (
            "本记录由三名计票人当场核对签字，与纸质表决结果一并保存。每个投票界面（投票台和成员终端）都显示计票公钥指纹，须与上表一致；核验归档或电子签章文件时，以上表的文件签章公钥指纹为准。会议文件中的密钥与本记录不符，即说明文件被改动。",
            "The three trustees check and sign this record in the room; it is kept with the paper results. Every ballot screen (the voting station and members' terminals) shows the election key's fingerprint, which must match the table above; an archive or a sealed document is verified against the signing key's fingerprint above. A key in the meeting file that differs from this record means the file was changed.",
        ),
        "signin.col.time" => ("签到时间", "Time"),
        "signin.col.signature" => ("本人签字", "Signature"),
        "pins.title" => ("投票个人密码（请妥善保管）", "Your voting PIN (keep it to yourself)"),
        "pins.pin" => ("密码", "PIN"),
        "pins.note" => (
            "在投票台上输入此密码打开您的选票。密码仅供本人使用，本次会议结束后作废。",
            "Enter this PIN at the voting station to open your ballot. It is yours alone and expires with this meeting.",
        ),
        "pins.file" => ("投票个人密码条", "Voting PINs"),
        "cards.title" => ("成员终端卡（仅限本人使用）", "Member terminal card (yours alone)"),
        "cards.url" => ("网址", "Address"),
        "cards.fingerprint" => (
            "会场主机证书指纹（SHA-256）的开头",
            "Start of the meeting host's certificate fingerprint (SHA-256)",
        ),
        "cards.fingerprintFull" => ("完整指纹", "The whole fingerprint"),
        "cards.note" => (
            "连接会场网络后扫描二维码（或输入网址）。浏览器提示连接不安全时，点“高级”（iPad：“显示详细信息”），在地址栏的证书信息中核对 SHA-256 指纹的开头与上方及投影的一致，再点“继续前往”（iPad：“访问此网站”；Firefox：“接受风险并继续”）。主机重启后指纹改变，以投影为准。遗失本卡或设备请立即告知会务人员。",
            "Join the meeting-room network and scan the QR code (or type the address). When the browser says the connection is not private, tap \"Advanced\" (iPad: \"Show Details\"), check in the certificate details from the address bar that the SHA-256 fingerprint starts as above and as projected, then \"Proceed\" (iPad: \"visit this website\"; Firefox: \"Accept the Risk and Continue\"). After a host restart the projected one applies. Lost card or device: tell the secretary at once.",
        ),
        "cards.file" => ("成员终端卡", "Terminal cards"),
        "archive.file" => ("归档", "archive"),
        "verifier.file" => ("Conclave 归档核验工具", "Conclave archive verifier"),
        "ballot.title" => ("评审表决票", "Ballot"),
        "ballot.number" => ("选票编号", "Ballot no."),
        "ballot.instructions" => (
            "请在每位申报人对应的“同意”“不同意”“弃权”中选择一项，在方框内划“✓”。不划或多划的视为弃权。需回避的申报人，请不要填写。",
            "For each candidate tick exactly one box: For, Against or Abstain. No tick or more than one counts as an abstention. Leave the line empty for a candidate you are recused from.",
        ),
        "ballot.footer" => ("本票不记名。请投入票箱。", "This ballot is secret: do not sign it. Put it in the ballot box."),
        other => return other.to_string(),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// "第 N 页 共 M 页" / "Page N of M".
pub fn page(n: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {n} 页 共 {total} 页"),
        Lang::En => format!("Page {n} of {total}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word printed on a sealed document is covered by its seal: changing
    /// it makes every document already printed with it fail verification.
    /// These are the vocabulary's words as the released versions printed them (the station is
    /// 投票台 from layout 6 on, as on every screen).
    #[test]
    fn printed_vocabulary_words_are_those_released() {
        let released = [
            ("level.senior", "高级", "Senior"),
            ("level.intermediate", "中级", "Intermediate"),
            ("level.junior", "初级", "Junior"),
            ("track.normal", "正常申报", "Normal"),
            ("track.exceptional", "破格申报", "Exceptional"),
            ("track.green_channel", "绿色通道", "Green channel"),
            ("title.lab_technician", "实验员", "Lab technician"),
            ("title.assistant_lab_engineer", "助理实验师", "Assistant lab engineer"),
            ("title.lab_engineer", "实验师", "Lab engineer"),
            ("title.senior_lab_engineer", "高级实验师", "Senior lab engineer"),
            ("title.principal_lab_engineer", "正高级实验师", "Principal lab engineer"),
            ("role.chair", "主任委员", "Chair"),
            ("role.vice_chair", "副主任委员", "Vice chair"),
            ("role.member", "委员", "Member"),
            ("round_mode.station", "投票台", "voting station"),
            ("round_mode.terminal", "成员终端", "members' terminals"),
            ("round_mode.paper", "纸质选票", "paper ballots"),
            ("recusal_reason.same_organization", "与申报人同单位", "same organisation as the candidate"),
            ("recusal_reason.reviewer", "评议组评议专家", "reviewer in the group opinion"),
            ("recusal_reason.declared", "本人申明回避", "declared by the member"),
        ];
        for (key, zh, en) in released {
            assert_eq!((label(key, Lang::Zh).as_str(), label(key, Lang::En).as_str()), (zh, en), "{key}");
        }
    }
}
