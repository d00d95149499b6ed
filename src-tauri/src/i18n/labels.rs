//! Fixed words of the printed documents, Chinese and English side by side.

use super::Lang;

/// The label `key` in `lang`; unknown keys print as themselves.
pub fn label(key: &str, lang: Lang) -> String {
    let (zh, en) = match key {
        "results.title" => ("评审结果表决统计表", "Voting results"),
        "meeting.date" => ("日期", "Date"),
        "meeting.place" => ("地点", "Place"),
        "meeting.level" => ("评审级别", "Level"),
        "level.senior" => ("高级", "Senior"),
        "level.intermediate" => ("中级", "Intermediate"),
        "level.junior" => ("初级", "Junior"),
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
        "seal.how" => ("用 conclave verify 核验本文件", "Check this file with conclave verify"),
        "track.normal" => ("正常申报", "Normal"),
        "track.exceptional" => ("破格申报", "Exceptional"),
        "track.green_channel" => ("绿色通道", "Green channel"),
        "not_given" => ("未填写", "Not given"),
        "title.lab_technician" => ("实验员", "Lab technician"),
        "title.assistant_lab_engineer" => ("助理实验师", "Assistant lab engineer"),
        "title.lab_engineer" => ("实验师", "Lab engineer"),
        "title.senior_lab_engineer" => ("高级实验师", "Senior lab engineer"),
        "title.principal_lab_engineer" => ("正高级实验师", "Principal lab engineer"),
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
