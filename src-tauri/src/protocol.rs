//! The `conclave:` URI scheme through which the web view reads what is too
//! large for IPC: the bundled fonts, and evidence files streamed from the
//! meeting's store (with HTTP ranges) once they have been re-hashed.
//!
//! `conclave://localhost/font/<file>` and
//! `conclave://localhost/evidence/<meeting id>/<sha256>`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::http::{header, Request, Response, StatusCode};

/// Evidence files verified in this session (`meeting/sha256` -> file, type):
/// only these are served.
#[derive(Default)]
pub struct Verified(Mutex<HashMap<String, (PathBuf, String)>>);

impl Verified {
    pub fn allow(&self, meeting: &str, sha256: &str, path: PathBuf, mime: String) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(format!("{meeting}/{sha256}"), (path, mime));
        }
    }

    fn lookup(&self, key: &str) -> Option<(PathBuf, String)> {
        self.0.lock().ok()?.get(key).cloned()
    }
}

type Body = Cow<'static, [u8]>;

fn status(code: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(code)
        .body(Cow::Borrowed(text.as_bytes()))
        .unwrap_or_else(|_| Response::new(Cow::Borrowed(&b""[..])))
}

/// Answers one request of the `conclave:` scheme.
pub fn handle(request: &Request<Vec<u8>>, verified: &Verified) -> Response<Body> {
    let path = percent_decode(request.uri().path().trim_start_matches('/'));
    if let Some(name) = path.strip_prefix("font/") {
        return match conclave_core::fonts::by_name(name) {
            Some(bytes) => Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "font/ttf")
                .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
                .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .body(Cow::Borrowed(bytes))
                .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR, "")),
            None => status(StatusCode::NOT_FOUND, "not found"),
        };
    }
    if let Some(key) = path.strip_prefix("evidence/") {
        let Some((file, mime)) = verified.lookup(key) else {
            return status(StatusCode::FORBIDDEN, "not verified");
        };
        let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_string);
        return serve_file(&file, &mime, range.as_deref())
            .unwrap_or_else(|_| status(StatusCode::NOT_FOUND, "not found"));
    }
    status(StatusCode::NOT_FOUND, "not found")
}

/// The whole file, or the byte range asked for (`bytes=a-b`, `bytes=a-`).
fn serve_file(path: &PathBuf, mime: &str, range: Option<&str>) -> std::io::Result<Response<Body>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let parsed = range.and_then(|r| r.strip_prefix("bytes=")).and_then(|r| {
        let (a, b) = r.split_once('-')?;
        let start: u64 = a.trim().parse().ok()?;
        let end: u64 = if b.trim().is_empty() { len.saturating_sub(1) } else { b.trim().parse().ok()? };
        (start <= end && end < len).then_some((start, end))
    });
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .header(header::ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Range, Accept-Ranges, Content-Length");
    let resp = match parsed {
        Some((start, end)) => {
            let mut buf = vec![0u8; (end - start + 1) as usize];
            f.seek(SeekFrom::Start(start))?;
            f.read_exact(&mut buf)?;
            builder
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
                .body(Cow::Owned(buf))
        }
        None => {
            let mut buf = Vec::with_capacity(len as usize);
            f.read_to_end(&mut buf)?;
            builder.status(StatusCode::OK).body(Cow::Owned(buf))
        }
    };
    resp.map_err(std::io::Error::other)
}

/// Decodes `%XX` escapes (the UI encodes the path as one component).
fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, v: &Verified) -> Response<Body> {
        handle(&Request::builder().uri(uri).body(Vec::new()).unwrap(), v)
    }

    #[test]
    fn serves_bundled_fonts_by_encoded_path() {
        let v = Verified::default();
        let r = get("conclave://localhost/font%2FHanaMinA.ttf", &v);
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.body().len(), conclave_core::fonts::HANAMIN_A.len());
        assert_eq!(get("http://conclave.localhost/font/HanaMinB.ttf", &v).status(), StatusCode::OK);
    }

    #[test]
    fn refuses_anything_else() {
        let v = Verified::default();
        assert_eq!(
            get("conclave://localhost/font%2F..%2F..%2Fetc%2Fpasswd", &v).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(get("conclave://localhost/%zz", &v).status(), StatusCode::NOT_FOUND);
        assert_eq!(get("conclave://localhost/evidence/x/y", &v).status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn serves_verified_evidence_whole_and_by_range() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("f");
        std::fs::write(&file, b"%PDF-0123456789")?;
        let v = Verified::default();
        v.allow("m", "abc", file, "application/pdf".into());
        let whole = get("conclave://localhost/evidence/m/abc", &v);
        assert_eq!(whole.body().as_ref(), b"%PDF-0123456789");
        let req = Request::builder()
            .uri("conclave://localhost/evidence/m/abc")
            .header("Range", "bytes=5-9")
            .body(Vec::new())?;
        let part = handle(&req, &v);
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.body().as_ref(), b"01234");
        Ok(())
    }
}
