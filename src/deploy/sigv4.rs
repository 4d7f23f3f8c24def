//! AWS Signature Version 4 for S3 requests, with ring's HMAC-SHA256 and
//! SHA-256 (already built for TLS): takes a request's method, path, query
//! and headers and returns the `Authorization` header. Every header given
//! is signed, so `x-amz-meta-*`, `content-type` and `cache-control` cannot
//! be changed on the way. The signature covers the payload's SHA-256.

use ring::{digest, hmac};

use super::credentials::Credentials;

/// The parts of a request that are signed.
pub struct Request<'a> {
    pub method: &'a str,
    /// Already URI-encoded, as sent: `/bucket/a%20b.html`.
    pub path: &'a str,
    /// Decoded pairs; encoded and sorted here.
    pub query: &'a [(String, String)],
    /// Lowercase names; must include `host`, `x-amz-date` and
    /// `x-amz-content-sha256`.
    pub headers: &'a [(String, String)],
    pub payload_sha256: &'a str,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// RFC 3986 encoding as SigV4 wants it: unreserved characters kept,
/// `/` kept only when `keep_slash` (object keys in paths).
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The encoded query string, sorted, as both sent and signed.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Authorization` header's value for `request` at `amz_date`
/// (`20130524T000000Z`) in `region`.
pub fn authorization(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    amz_date: &str,
) -> String {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method,
        request.path,
        canonical_query(request.query),
        request.payload_sha256
    );
    let date = &amz_date[..8.min(amz_date.len())];
    let scope = format!("{date}/{region}/s3/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let sign = |key: &[u8], data: &str| {
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes())
    };
    let secret = format!("AWS4{}", credentials.secret_access_key.expose());
    let k_date = sign(secret.as_bytes(), date);
    let k_region = sign(k_date.as_ref(), region);
    let k_service = sign(k_region.as_ref(), "s3");
    let k_signing = sign(k_service.as_ref(), "aws4_request");
    let signature = hex(sign(k_signing.as_ref(), &string_to_sign).as_ref());
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id
    )
}

/// `20130524T000000Z` for a Unix time.
pub fn amz_date(now: jiff::Timestamp) -> String {
    now.strftime("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::credentials::Secret;

    fn example_credentials() -> Credentials {
        Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
            session_token: None,
        }
    }

    fn header(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    /// The GET Object example of AWS's SigV4 documentation for S3
    /// ("Signature Calculations for the Authorization Header").
    #[test]
    fn signs_aws_documented_get_object_example() {
        let empty = sha256_hex(b"");
        let headers = [
            header("host", "examplebucket.s3.amazonaws.com"),
            header("range", "bytes=0-9"),
            header("x-amz-content-sha256", &empty),
            header("x-amz-date", "20130524T000000Z"),
        ];
        let auth = authorization(
            &Request {
                method: "GET",
                path: "/test.txt",
                query: &[],
                headers: &headers,
                payload_sha256: &empty,
            },
            &example_credentials(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    /// The GET Bucket (list objects) example of the same page: a query.
    #[test]
    fn signs_aws_documented_list_example_with_a_sorted_query() {
        let empty = sha256_hex(b"");
        let headers = [
            header("host", "examplebucket.s3.amazonaws.com"),
            header("x-amz-content-sha256", &empty),
            header("x-amz-date", "20130524T000000Z"),
        ];
        let query = [
            ("prefix".to_string(), "J".to_string()),
            ("max-keys".to_string(), "2".to_string()),
        ];
        let auth = authorization(
            &Request {
                method: "GET",
                path: "/",
                query: &query,
                headers: &headers,
                payload_sha256: &empty,
            },
            &example_credentials(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert!(
            auth.ends_with(
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
            ),
            "{auth}"
        );
        assert!(!auth.contains("wJalr"), "the secret is never in a header");
    }

    #[test]
    fn keys_are_encoded_as_s3_wants() {
        assert_eq!(
            uri_encode("posts/a b/é+x~.html", true),
            "posts/a%20b/%C3%A9%2Bx~.html"
        );
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(
            canonical_query(&[
                ("prefix".into(), "blog/".into()),
                ("list-type".into(), "2".into())
            ]),
            "list-type=2&prefix=blog%2F"
        );
    }
}
