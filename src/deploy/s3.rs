//! The S3 requests `blog deploy` makes — ListObjectsV2 (paginated),
//! HeadObject, PutObject, DeleteObject — signed with SigV4 and sent with
//! ureq. Transient failures (timeouts, dropped or refused connections,
//! 5xx, 429, SlowDown) are tried again with backoff, `ATTEMPTS` times in
//! all. Every failure becomes one line naming the bucket and what to do;
//! no message carries a secret or a signature.

use std::collections::BTreeMap;
use std::time::Duration;

use super::credentials::Credentials;
use super::plan::RemoteObject;
use super::sigv4::{self, uri_encode};
use super::target::Target;
use super::xml::{parse_listing, xml_fields};

/// Tries per request, the first included.
pub const ATTEMPTS: u32 = 4;

/// The wait before the second try; doubled each time after.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth another try.
    Transient(String),
    /// Trying again will not help.
    Fatal(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Transient(m) | Failure::Fatal(m) => m,
        }
    }
}

/// A response, read whole.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

/// What one object is uploaded with.
pub struct PutObject<'a> {
    pub path: &'a str,
    pub body: &'a [u8],
    pub md5_hex: &'a str,
    pub content_type: &'a str,
    pub cache_control: &'a str,
    /// `x-amz-website-redirect-location`: an alias page's target.
    pub redirect: Option<&'a str>,
}

pub struct Client {
    agent: ureq::Agent,
    target: Target,
    credentials: Credentials,
    /// Requests sent, retries included, for `--verbose`.
    pub requests: std::sync::atomic::AtomicUsize,
}

impl Client {
    pub fn new(target: Target, credentials: Credentials, timeout: Duration) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(Duration::from_secs(10).min(timeout)))
            .max_redirects(0)
            .max_idle_connections_per_host(64)
            .user_agent(concat!("blog/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            target,
            credentials,
            requests: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The request path for an object (`key` relative to the prefix) or,
    /// with `None`, for the bucket.
    fn path(&self, key: Option<&str>) -> String {
        let t = &self.target;
        let bucket = if t.path_style {
            format!("/{}", t.bucket)
        } else {
            String::new()
        };
        match key {
            Some(key) => format!(
                "{}{bucket}/{}",
                t.base_path,
                uri_encode(&format!("{}{key}", t.prefix), true)
            ),
            None if bucket.is_empty() => format!("{}/", t.base_path),
            None => format!("{}{bucket}", t.base_path),
        }
    }

    /// One signed request, one try.
    fn send(
        &self,
        method: &str,
        key: Option<&str>,
        query: &[(String, String)],
        extra: &[(String, String)],
        body: &[u8],
    ) -> Result<Answer, Failure> {
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = self.path(key);
        let query_string = sigv4::canonical_query(query);
        let payload = sigv4::sha256_hex(body);
        let date = sigv4::amz_date(jiff::Timestamp::now());
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), self.target.host.clone()),
            ("x-amz-content-sha256".into(), payload.clone()),
            ("x-amz-date".into(), date.clone()),
        ];
        if let Some(token) = &self.credentials.session_token {
            headers.push(("x-amz-security-token".into(), token.expose().to_string()));
        }
        headers.extend(extra.iter().cloned());
        let authorization = sigv4::authorization(
            &sigv4::Request {
                method,
                path: &path,
                query,
                headers: &headers,
                payload_sha256: &payload,
            },
            &self.credentials,
            &self.target.region,
            &date,
        );
        let mut url = format!("{}://{}{path}", self.target.scheme, self.target.host);
        if !query_string.is_empty() {
            url.push('?');
            url.push_str(&query_string);
        }
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        for (k, v) in &headers {
            request = request.header(k.as_str(), v.as_str());
        }
        request = request.header("authorization", authorization);
        let request = request.body(body.to_vec()).map_err(|e| {
            Failure::Fatal(format!(
                "{}: cannot make a request for it: {e}",
                self.target.url
            ))
        })?;
        let response = self
            .agent
            .run(request)
            .map_err(|e| self.transport_failure(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = response.into_body();
        let body = body
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| self.transport_failure(e))?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn transport_failure(&self, e: ureq::Error) -> Failure {
        let t = &self.target;
        let endpoint = t.endpoint();
        let env = "check the endpoint (the target's `endpoint`, AWS_ENDPOINT_URL) and the network";
        match e {
            ureq::Error::HostNotFound => Failure::Fatal(format!(
                "{}: cannot find the host {} (DNS): {env}",
                t.url,
                t.host.split(':').next().unwrap_or(&t.host)
            )),
            ureq::Error::Timeout(_) => Failure::Transient(format!(
                "{}: no answer from {endpoint} in time: {env}, then run the deploy again",
                t.url
            )),
            // A name the resolver does not know (std's lookup error has no kind
            // of its own); a temporary resolver failure is worth another try.
            ureq::Error::Io(io)
                if io.to_string().starts_with("failed to lookup address")
                    && !io.to_string().contains("Temporary failure") =>
            {
                Failure::Fatal(format!(
                    "{}: cannot find the host {} (DNS): {env}",
                    t.url,
                    t.host.split(':').next().unwrap_or(&t.host)
                ))
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                Failure::Transient(format!(
                    "{}: cannot connect to {endpoint} (connection refused): {env}",
                    t.url
                ))
            }
            ureq::Error::Io(io) => Failure::Transient(format!(
                "{}: the connection to {endpoint} failed ({}): {env}, then run the deploy again",
                t.url,
                io.kind()
            )),
            ureq::Error::ConnectionFailed | ureq::Error::Protocol(_) => {
                Failure::Transient(format!(
                    "{}: the connection to {endpoint} failed: {env}, then run the deploy again",
                    t.url
                ))
            }
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => Failure::Fatal(format!(
                "{}: TLS with {endpoint} failed ({e}): check the endpoint's scheme and certificate",
                t.url
            )),
            other => Failure::Fatal(format!(
                "{}: the request to {endpoint} failed: {other}",
                t.url
            )),
        }
    }

    /// An error response as one line that says what to do.
    fn status_failure(&self, action: &str, answer: &Answer) -> Failure {
        let t = &self.target;
        let fields = xml_fields(&answer.body, &["Code", "Message", "Region"]);
        let code = fields.first().cloned().flatten().unwrap_or_default();
        let region = fields[2].clone().or_else(|| {
            answer
                .headers
                .get("x-amz-bucket-region")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        let status = answer.status;
        let bucket = &t.bucket;
        let fatal = |m: String| Failure::Fatal(format!("{}: {m}", t.url));
        match (status, code.as_str()) {
            // S3 says InvalidAccessKeyId; s3s-based servers NotSignedUp.
            (_, "InvalidAccessKeyId" | "NotSignedUp") => fatal(format!(
                "the access key ID is not known to {} ({code}): check AWS_ACCESS_KEY_ID or the profile's aws_access_key_id",
                t.endpoint()
            )),
            (_, "SignatureDoesNotMatch") => fatal(
                "the secret access key does not belong to the access key ID (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key".into(),
            ),
            (_, "ExpiredToken" | "InvalidToken" | "TokenRefreshRequired") => fatal(format!(
                "the session token was refused ({code}): get fresh credentials and set AWS_SESSION_TOKEN again"
            )),
            (_, "RequestTimeTooSkewed") => fatal(
                "this machine's clock is too far from the service's (RequestTimeTooSkewed): set the clock right".into(),
            ),
            (_, "NoSuchBucket") => fatal(format!(
                "there is no bucket `{bucket}` at {} (NoSuchBucket): create it, or check the target's url, region and endpoint",
                t.endpoint()
            )),
            (_, "AccessDenied" | "AllAccessDisabled") | (403, _) => fatal(format!(
                "access denied when trying to {action} (AccessDenied): the key needs s3:ListBucket, s3:PutObject and s3:DeleteObject on `{bucket}`"
            )),
            (_, "PermanentRedirect" | "AuthorizationHeaderMalformed" | "IllegalLocationConstraintException")
            | (301 | 307, _) => fatal(match region {
                Some(region) => format!(
                    "the bucket is in region {region}, not {} ({code}): set region = \"{region}\" on the target or AWS_REGION={region}",
                    t.region
                ),
                None => format!(
                    "the service sent the request elsewhere ({status} {code}): check the target's region ({}) and endpoint",
                    t.region
                ),
            }),
            (429 | 500..=599, _) | (_, "SlowDown" | "InternalError" | "RequestTimeout" | "ServiceUnavailable") => {
                Failure::Transient(format!(
                    "{}: {} answered {status} {code} when trying to {action}: run the deploy again later",
                    t.url,
                    t.endpoint()
                ))
            }
            _ => fatal(format!(
                "{} answered {status} {code} when trying to {action}{}",
                t.endpoint(),
                fields[1]
                    .as_deref()
                    .map(|m| format!(": {}", one_line(m)))
                    .unwrap_or_default()
            )),
        }
    }

    /// `f`, tried again on transient failures with backoff.
    fn retrying<T>(&self, mut f: impl FnMut() -> Result<T, Failure>) -> Result<T, Failure> {
        let mut wait = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            match f() {
                Err(Failure::Transient(_)) if attempt < ATTEMPTS => {
                    std::thread::sleep(wait);
                    wait *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Every object under the prefix, by its path relative to it.
    pub fn list(&self) -> Result<BTreeMap<String, RemoteObject>, Failure> {
        let mut objects = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![
                ("list-type".to_string(), "2".to_string()),
                ("prefix".to_string(), self.target.prefix.clone()),
            ];
            if let Some(token) = &token {
                query.push(("continuation-token".to_string(), token.clone()));
            }
            let answer = self.retrying(|| {
                let answer = self.send("GET", None, &query, &[], &[])?;
                if answer.status == 200 {
                    Ok(answer)
                } else {
                    Err(self.status_failure("list the bucket", &answer))
                }
            })?;
            let page = parse_listing(&answer.body).map_err(|e| {
                Failure::Fatal(format!(
                    "{}: the bucket's listing from {} is not S3's XML ({e}): check the endpoint",
                    self.target.url,
                    self.target.endpoint()
                ))
            })?;
            for (key, object) in page.objects {
                if let Some(rel) = key.strip_prefix(&self.target.prefix) {
                    objects.insert(rel.to_string(), object);
                }
            }
            match page.next {
                Some(next) if page.truncated => token = Some(next),
                _ => break,
            }
        }
        Ok(objects)
    }

    /// The `x-amz-meta-blog-md5` of an object.
    pub fn content_md5(&self, path: &str) -> Result<Option<String>, Failure> {
        self.retrying(|| {
            let answer = self.send("HEAD", Some(path), &[], &[], &[])?;
            match answer.status {
                200 => Ok(answer
                    .headers
                    .get("x-amz-meta-blog-md5")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)),
                404 => Ok(None),
                _ => Err(self.status_failure(&format!("read {path}"), &answer)),
            }
        })
    }

    pub fn put(&self, object: &PutObject<'_>) -> Result<(), Failure> {
        use base64::Engine;
        let md5_bytes: Vec<u8> = (0..object.md5_hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&object.md5_hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        let mut headers = vec![
            ("content-type".to_string(), object.content_type.to_string()),
            (
                "cache-control".to_string(),
                object.cache_control.to_string(),
            ),
            (
                "content-md5".to_string(),
                base64::engine::general_purpose::STANDARD.encode(md5_bytes),
            ),
            (
                "x-amz-meta-blog-md5".to_string(),
                object.md5_hex.to_string(),
            ),
        ];
        if let Some(location) = object.redirect {
            headers.push((
                "x-amz-website-redirect-location".to_string(),
                location.to_string(),
            ));
        }
        self.retrying(|| {
            let answer = self.send("PUT", Some(object.path), &[], &headers, object.body)?;
            if answer.status == 200 {
                Ok(())
            } else {
                Err(self.status_failure(&format!("upload {}", object.path), &answer))
            }
        })
    }

    pub fn delete(&self, path: &str) -> Result<(), Failure> {
        self.retrying(|| {
            let answer = self.send("DELETE", Some(path), &[], &[], &[])?;
            match answer.status {
                200 | 204 | 404 => Ok(()),
                _ => Err(self.status_failure(&format!("delete {path}"), &answer)),
            }
        })
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        let config = crate::config::deploy::TargetConfig {
            url: "s3://my-site/blog".into(),
            region: Some("us-east-1".into()),
            ..Default::default()
        };
        let env = |k: &str| (k == "HOME").then(|| "/nonexistent".to_string());
        let profiles = super::super::credentials::Profiles::load(&env);
        let target = super::super::target::resolve(&config, &env, &profiles).expect("target");
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: super::super::credentials::Secret::new("s3cr3t".into()),
            session_token: None,
        };
        Client::new(target, credentials, Duration::from_secs(1))
    }

    fn answer(status: u16, code: &str, region_header: Option<&str>) -> Answer {
        let mut headers = ureq::http::HeaderMap::new();
        if let Some(region) = region_header {
            headers.insert(
                "x-amz-bucket-region",
                ureq::http::HeaderValue::from_str(region).expect("header"),
            );
        }
        Answer {
            status,
            headers,
            body: format!("<Error><Code>{code}</Code><Message>m</Message></Error>").into_bytes(),
        }
    }

    #[test]
    fn each_error_answer_says_what_to_do_and_which_are_worth_another_try() {
        let c = client();
        let fatal = |status, code, region| match c
            .status_failure("list the bucket", &answer(status, code, region))
        {
            Failure::Fatal(m) => m,
            Failure::Transient(m) => panic!("{code} is not transient: {m}"),
        };
        assert!(fatal(403, "AccessDenied", None).starts_with(
            "s3://my-site/blog: access denied when trying to list the bucket (AccessDenied): the key needs s3:ListBucket, s3:PutObject and s3:DeleteObject on `my-site`"
        ));
        assert!(fatal(403, "InvalidAccessKeyId", None).contains("check AWS_ACCESS_KEY_ID"));
        assert!(fatal(403, "ExpiredToken", None).contains("AWS_SESSION_TOKEN"));
        assert!(fatal(403, "RequestTimeTooSkewed", None).contains("clock"));
        assert!(fatal(404, "NoSuchBucket", None).contains("there is no bucket `my-site`"));
        assert!(fatal(301, "PermanentRedirect", Some("eu-west-1"))
            .contains("the bucket is in region eu-west-1, not us-east-1 (PermanentRedirect): set region = \"eu-west-1\""));
        assert!(fatal(400, "InvalidArgument", None)
            .ends_with("answered 400 InvalidArgument when trying to list the bucket: m"));
        for (status, code) in [
            (503, "SlowDown"),
            (500, "InternalError"),
            (429, ""),
            (400, "RequestTimeout"),
        ] {
            assert!(
                matches!(
                    c.status_failure("upload a", &answer(status, code, None)),
                    Failure::Transient(_)
                ),
                "{status} {code}"
            );
        }
        let all = format!("{:?}", c.credentials);
        assert!(!all.contains("s3cr3t"), "{all}");
    }
}
