//! Which bucket a deploy goes to: the TARGET argument (`s3://bucket/prefix`
//! or a `[[deploy.targets]]` name; without it, the only configured
//! target), resolved against the environment into where requests go.
//! Endpoint: the target's, else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
//! profile's `endpoint_url`, else AWS's own for the region. Region: the
//! target's, else AWS_REGION, AWS_DEFAULT_REGION, the profile's, else
//! us-east-1.

use crate::config::deploy::{parse_s3_url, DeployConfig, TargetConfig};

use super::credentials::{Env, Profiles};
use super::headers::glob_matches;

#[derive(Debug, Clone)]
pub struct Target {
    /// `s3://bucket/prefix`, for messages.
    pub url: String,
    pub bucket: String,
    /// Empty, or ending with `/`.
    pub prefix: String,
    pub region: String,
    /// `http` or `https`.
    pub scheme: String,
    /// `host[:port]` requests go to (the bucket's own with virtual-hosted style).
    pub host: String,
    /// A path before the bucket or key that the endpoint has, without a trailing `/`.
    pub base_path: String,
    pub path_style: bool,
    pub base_url: Option<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Target {
    /// Whether the target deploys (and may delete) the file at `path`.
    pub fn manages(&self, path: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|g| glob_matches(g, path)))
            && !self.exclude.iter().any(|g| glob_matches(g, path))
    }

    /// The endpoint, for messages: `http://127.0.0.1:9000`.
    pub fn endpoint(&self) -> String {
        format!("{}://{}{}", self.scheme, self.host, self.base_path)
    }
}

/// The configured target that `arg` names, or `arg` as an s3:// URL.
pub fn choose<'a>(
    arg: Option<&str>,
    config: &'a DeployConfig,
) -> Result<std::borrow::Cow<'a, TargetConfig>, String> {
    use std::borrow::Cow;
    let names = || {
        config
            .targets
            .iter()
            .map(|t| format!("`{}`", t.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match arg {
        Some(url) if url.starts_with("s3://") => {
            parse_s3_url(url)?;
            Ok(Cow::Owned(TargetConfig {
                url: url.to_string(),
                ..TargetConfig::default()
            }))
        }
        Some(name) => match config.targets.iter().find(|t| t.name == name) {
            Some(t) => Ok(Cow::Borrowed(t)),
            None if config.targets.is_empty() => Err(format!(
                "no deploy target `{name}`: config.toml has no [[deploy.targets]]; give an s3://bucket/prefix URL or add a target"
            )),
            None => Err(format!(
                "no deploy target `{name}` in config.toml; the targets are {}",
                names()
            )),
        },
        None => match config.targets.as_slice() {
            [only] => Ok(Cow::Borrowed(only)),
            [] => Err("no target: give one like `blog deploy s3://my-bucket`, or add a [[deploy.targets]] entry to config.toml".into()),
            _ => Err(format!(
                "config.toml has several deploy targets; name one: {}",
                names()
            )),
        },
    }
}

/// Resolves a target against the environment.
pub fn resolve(chosen: &TargetConfig, env: Env<'_>, profiles: &Profiles) -> Result<Target, String> {
    let (bucket, prefix) = parse_s3_url(&chosen.url)?;
    let var = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let region = chosen
        .region
        .clone()
        .or_else(|| var("AWS_REGION"))
        .or_else(|| var("AWS_DEFAULT_REGION"))
        .or_else(|| profiles.region().map(str::to_string))
        .unwrap_or_else(|| "us-east-1".into());
    let endpoint = chosen
        .endpoint
        .clone()
        .or_else(|| var("AWS_ENDPOINT_URL_S3"))
        .or_else(|| var("AWS_ENDPOINT_URL"))
        .or_else(|| profiles.endpoint_url().map(str::to_string));
    let custom = endpoint.is_some();
    let endpoint = endpoint.unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
    let (scheme, rest) = endpoint
        .split_once("://")
        .filter(|(s, _)| *s == "http" || *s == "https")
        .ok_or_else(|| {
            format!(
                "endpoint `{endpoint}` is not an http(s) URL: write it like https://s3.example.com"
            )
        })?;
    let (authority, base_path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    if authority.is_empty() || authority.contains('@') {
        return Err(format!(
            "endpoint `{endpoint}` has no host: write it like https://s3.example.com"
        ));
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    // Virtual-hosted names need a bucket that is a valid host label.
    let path_style =
        chosen.path_style.unwrap_or(custom) || bucket.contains('.') && scheme == "https";
    let host = if path_style {
        authority.to_string()
    } else {
        format!("{bucket}.{authority}")
    };
    Ok(Target {
        url: format!("s3://{bucket}/{prefix}")
            .trim_end_matches('/')
            .to_string(),
        bucket,
        prefix,
        region,
        scheme: scheme.to_string(),
        host,
        base_path: match base_path.trim_matches('/') {
            "" => String::new(),
            path => format!("/{path}"),
        },
        path_style,
        base_url: chosen.base_url.clone(),
        include: chosen.include.clone(),
        exclude: chosen.exclude.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn profiles() -> Profiles {
        Profiles::load(&|k| (k == "HOME").then(|| "/nonexistent".to_string()))
    }

    fn config(names: &[&str]) -> DeployConfig {
        DeployConfig {
            targets: names
                .iter()
                .map(|n| TargetConfig {
                    name: n.to_string(),
                    url: format!("s3://bucket-{n}/blog"),
                    ..TargetConfig::default()
                })
                .collect(),
            matchers: Vec::new(),
        }
    }

    #[test]
    fn a_target_is_a_url_a_name_or_the_only_one() {
        let one = config(&["prod"]);
        assert_eq!(choose(None, &one).expect("only").name, "prod");
        assert_eq!(
            choose(Some("prod"), &one).expect("named").url,
            "s3://bucket-prod/blog"
        );
        assert_eq!(
            choose(Some("s3://other"), &one).expect("url").url,
            "s3://other"
        );
        let two = config(&["prod", "staging"]);
        let e = choose(None, &two).expect_err("ambiguous");
        assert!(
            e.contains("several") && e.contains("`prod`, `staging`"),
            "{e}"
        );
        let e = choose(Some("prdo"), &two).expect_err("unknown");
        assert!(
            e.contains("no deploy target `prdo`") && e.contains("`prod`, `staging`"),
            "{e}"
        );
        let e = choose(None, &config(&[])).expect_err("none");
        assert!(e.contains("blog deploy s3://my-bucket"), "{e}");
        assert!(choose(Some("s3://NO"), &one).is_err());
    }

    #[test]
    fn aws_is_virtual_hosted_and_an_endpoint_path_style() {
        let aws = resolve(&config(&["p"]).targets[0], &no_env, &profiles()).expect("resolves");
        assert_eq!(aws.host, "bucket-p.s3.us-east-1.amazonaws.com");
        assert_eq!((aws.scheme.as_str(), aws.path_style), ("https", false));
        assert_eq!(aws.prefix, "blog/");
        assert_eq!(aws.url, "s3://bucket-p/blog");
        let env = |k: &str| match k {
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:9000/".to_string()),
            "AWS_REGION" => Some("eu-west-1".to_string()),
            _ => None,
        };
        let local = resolve(&config(&["p"]).targets[0], &env, &profiles()).expect("resolves");
        assert_eq!(
            (local.host.as_str(), local.path_style),
            ("127.0.0.1:9000", true)
        );
        assert_eq!(local.region, "eu-west-1");
        assert_eq!(local.endpoint(), "http://127.0.0.1:9000");
        let mut own = config(&["p"]).targets.remove(0);
        own.endpoint = Some("https://acct.r2.cloudflarestorage.com:443".into());
        own.region = Some("auto".into());
        own.path_style = Some(false);
        let r2 = resolve(&own, &env, &profiles()).expect("resolves");
        assert_eq!(r2.host, "bucket-p.acct.r2.cloudflarestorage.com");
        assert_eq!(r2.region, "auto");
    }

    #[test]
    fn include_and_exclude_pick_the_managed_files() {
        let mut t = config(&["p"]).targets.remove(0);
        t.include = vec!["**/*.html".into(), "img/**".into()];
        t.exclude = vec!["drafts/**".into()];
        let t = resolve(&t, &no_env, &profiles()).expect("resolves");
        assert!(t.manages("index.html") && t.manages("img/a/b.png"));
        assert!(!t.manages("drafts/a.html") && !t.manages("style.css"));
    }
}
