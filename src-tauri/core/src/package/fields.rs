//! Field-by-field reading of a JSON value against the spec, collecting every
//! problem with where it is instead of stopping at the first.

use super::report::Problem;
use crate::i18n::{JsonType, Msg};
use serde_json::{Map, Value};

/// Collects errors and warnings while reading a manifest.
#[derive(Default)]
pub struct Fields {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

pub fn at(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

pub fn at_index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, and a real calendar date.
pub fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [_, _, _] => {
            parts.iter().zip([4, 2, 2]).all(|(p, n)| digits(p, n))
                && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        }
        _ => false,
    }
}

impl Fields {
    pub fn error(&mut self, where_: impl Into<String>, msg: Msg) {
        self.errors.push(Problem::new(where_, msg));
    }

    pub fn warn(&mut self, where_: impl Into<String>, msg: Msg) {
        self.warnings.push(Problem::new(where_, msg));
    }

    fn wrong_type(&mut self, where_: String, expected: JsonType, v: &Value) {
        self.error(where_, Msg::WrongType { expected, found: JsonType::of(v) });
    }

    /// The value as an object, warning about keys outside `known`.
    pub fn object<'v>(
        &mut self,
        v: &'v Value,
        where_: &str,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(o) = v.as_object() else {
            self.wrong_type(where_.to_string(), JsonType::Object, v);
            return None;
        };
        for k in o.keys() {
            if !known.contains(&k.as_str()) {
                self.warn(at(where_, k), Msg::UnknownKey { key: k.clone() });
            }
        }
        Some(o)
    }

    fn get<'v>(
        &mut self,
        o: &'v Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
    ) -> Option<&'v Value> {
        match o.get(key) {
            Some(v) => Some(v),
            None => {
                if required {
                    self.error(at(where_, key), Msg::FieldMissing { field: key.to_string() });
                }
                None
            }
        }
    }

    /// A string of `min..=max` characters.
    pub fn text(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let v = self.get(o, key, where_, required)?;
        let w = at(where_, key);
        let Some(s) = v.as_str() else {
            self.wrong_type(w, JsonType::String, v);
            return None;
        };
        let len = s.chars().count();
        if len < min {
            self.error(w, Msg::TextEmpty);
            None
        } else if len > max {
            self.error(w, Msg::TextTooLong { max, len });
            None
        } else {
            Some(s.to_string())
        }
    }

    /// A string that must be one of a vocabulary; returns the normalised code.
    pub fn vocab(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        normalise: impl Fn(&str) -> Option<&'static str>,
        refused: impl Fn(String) -> Msg,
    ) -> Option<String> {
        let s = self.text(o, key, where_, required, 0, 200)?;
        match normalise(&s) {
            Some(code) => Some(code.to_string()),
            None => {
                self.error(at(where_, key), refused(s));
                None
            }
        }
    }

    /// A string from a fixed list.
    pub fn one_of(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        allowed: &'static [&'static str],
    ) -> Option<String> {
        self.vocab(
            o,
            key,
            where_,
            required,
            |s| allowed.iter().find(|a| **a == s).copied(),
            |value| Msg::NotInList { value, allowed: allowed.join(" / ") },
        )
    }

    pub fn date(&mut self, o: &Map<String, Value>, key: &str, where_: &str) -> Option<String> {
        let s = self.text(o, key, where_, false, 0, 10_000)?;
        if valid_date(&s) {
            Some(s)
        } else {
            self.error(at(where_, key), Msg::PartialDateInvalid { value: s });
            None
        }
    }

    /// An identifier: 1–64 of `A-Z a-z 0-9 . _ -`.
    pub fn ident(&mut self, o: &Map<String, Value>, key: &str, where_: &str) -> Option<String> {
        let s = self.text(o, key, where_, true, 0, 10_000)?;
        let ok = (1..=64).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if ok {
            Some(s)
        } else {
            self.error(at(where_, key), Msg::IdInvalid { value: s });
            None
        }
    }

    pub fn integer(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let v = self.get(o, key, where_, required)?;
        let w = at(where_, key);
        let Some(n) = v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64))
        else {
            self.wrong_type(w, JsonType::Integer, v);
            return None;
        };
        if n < min || n > max {
            self.error(w, Msg::IntOutOfRange { value: n, min, max });
            return None;
        }
        Some(n)
    }

    pub fn boolean(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
    ) -> Option<bool> {
        let v = self.get(o, key, where_, required)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(at(where_, key), JsonType::Bool, v);
                None
            }
        }
    }

    /// An array field; each element is handed to `each` with its location.
    pub fn array<T>(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        mut each: impl FnMut(&mut Self, &Value, String) -> Option<T>,
    ) -> Vec<T> {
        let Some(v) = self.get(o, key, where_, required) else {
            return Vec::new();
        };
        let w = at(where_, key);
        let Some(items) = v.as_array() else {
            self.wrong_type(w, JsonType::Array, v);
            return Vec::new();
        };
        items.iter().enumerate().filter_map(|(i, item)| each(self, item, at_index(&w, i))).collect()
    }

    /// An optional nested object read by `read`.
    pub fn nested<T>(
        &mut self,
        o: &Map<String, Value>,
        key: &str,
        where_: &str,
        required: bool,
        read: impl FnOnce(&mut Self, &Value, String) -> Option<T>,
    ) -> Option<T> {
        let v = self.get(o, key, where_, required)?;
        read(self, v, at(where_, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_calendar_dates() {
        for ok in ["1984", "1984-03", "1984-03-12", "2024-02-29"] {
            assert!(valid_date(ok), "{ok} is valid");
        }
        for bad in [
            "1988-02-30",
            "2023-02-29",
            "1984-13",
            "84-03-12",
            "1984-3-12",
            "1984/03/12",
            "",
            "1984-03-12T00:00",
        ] {
            assert!(!valid_date(bad), "{bad} must be refused");
        }
    }
}
