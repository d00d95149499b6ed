//! Reading a committee roster (`conclave-committee/1`): exactly one chair,
//! unique member ids.

use super::fields::{at, Fields};
use super::model::{Committee, Member};
use crate::domain::vocab;
use crate::i18n::Msg;
use serde_json::Value;
use std::collections::HashSet;

pub const FORMAT: &str = "conclave-committee/1";

pub fn read_committee(v: &Value, check_format: bool, f: &mut Fields) -> Option<Committee> {
    let o = f.object(v, "", &["format", "committee", "members"])?;
    if check_format {
        match o.get("format") {
            Some(Value::String(s)) if s == FORMAT => {}
            Some(other) => f.error("format", Msg::FormatWrong { expected: FORMAT, found: other.to_string() }),
            None => f.error("format", Msg::FieldMissing { field: "format".into() }),
        }
    }
    let header = f.nested(o, "committee", "", false, |f, v, w| {
        let o = f.object(v, &w, &["name", "series", "level"])?;
        Some((
            f.text(o, "name", &w, false, 0, 200),
            f.text(o, "series", &w, false, 0, 64),
            f.one_of(o, "level", &w, false, &["senior", "intermediate", "junior"]),
        ))
    });
    let (name, series, level) = header.unwrap_or((None, None, None));
    let members = f.array(o, "members", "", true, |f, v, w| {
        let o = f.object(v, &w, &["id", "name", "organization", "title", "role", "review_group"])?;
        let id = f.ident(o, "id", &w);
        let name = f.text(o, "name", &w, true, 1, 64);
        let role = f.vocab(
            o,
            "role",
            &w,
            true,
            |s| vocab::role(s).map(vocab::Role::as_str),
            |value| Msg::NotInList { value, allowed: vocab::spellings(vocab::ROLES) },
        );
        let m = Member {
            id: id?,
            name: name?,
            organization: f.text(o, "organization", &w, false, 0, 200),
            title: f.text(o, "title", &w, false, 0, 64),
            role: vocab::role(&role?)?,
            review_group: f.text(o, "review_group", &w, false, 0, 64),
        };
        Some((w, m))
    });
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (w, m) in members {
        if !seen.insert(m.id.clone()) {
            f.error(at(&w, "id"), Msg::DuplicateMember { id: m.id.clone() });
            continue;
        }
        out.push(m);
    }
    let chairs = out.iter().filter(|m| m.role == vocab::Role::Chair).count();
    if chairs != 1 {
        f.error("members", Msg::ChairCount { count: chairs });
    }
    Some(Committee { name, series, level, members: out })
}
