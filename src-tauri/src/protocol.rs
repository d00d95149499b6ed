//! The `conclave:` URI scheme through which the web view reads what is too
//! large for IPC: the bundled fonts now, evidence files later.

use std::borrow::Cow;
use tauri::http::{header, Request, Response, StatusCode};

/// Answers one request of the `conclave:` scheme.
pub fn handle(request: &Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let path = request.uri().path();
    let path = percent_decode(path.trim_start_matches('/'));
    let path = path.strip_prefix("font/").unwrap_or("");
    match crate::fonts::by_name(path) {
        Some(bytes) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "font/ttf")
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .body(Cow::Borrowed(bytes)),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Cow::Borrowed(&b"not found"[..])),
    }
    .unwrap_or_else(|_| Response::new(Cow::Borrowed(&b""[..])))
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

    fn get(uri: &str) -> Response<Cow<'static, [u8]>> {
        handle(&Request::builder().uri(uri).body(Vec::new()).unwrap())
    }

    #[test]
    fn serves_bundled_fonts_by_encoded_path() {
        let r = get("conclave://localhost/font%2FHanaMinA.ttf");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.body().len(), crate::fonts::HANAMIN_A.len());
        assert_eq!(
            get("http://conclave.localhost/font/HanaMinB.ttf").status(),
            StatusCode::OK
        );
    }

    #[test]
    fn refuses_anything_else() {
        assert_eq!(
            get("conclave://localhost/font%2F..%2F..%2Fetc%2Fpasswd").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get("conclave://localhost/%zz").status(),
            StatusCode::NOT_FOUND
        );
    }
}
