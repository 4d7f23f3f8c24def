//! `[deploy]` in config.toml: where `blog deploy` publishes the built site
//! (`[[deploy.targets]]`) and the headers its files are served with
//! (`[[deploy.matchers]]`). Only read here and checked for what a deploy
//! would otherwise fail on late (a URL that is not `s3://bucket`, an
//! endpoint that is not http(s), two targets of one name); resolving a
//! target against the environment is `crate::deploy::target`'s.

use serde::{Deserialize, Serialize};

use super::{find_key_line, CONFIG_FILE};
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeployConfig {
    /// Named places to deploy to; `blog deploy NAME` picks one.
    pub targets: Vec<TargetConfig>,
    /// Headers by path, first match wins, before the built-in defaults.
    pub matchers: Vec<MatcherConfig>,
}

/// One `[[deploy.targets]]` entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TargetConfig {
    pub name: String,
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// The bucket's region; else AWS_REGION, AWS_DEFAULT_REGION, the
    /// profile's `region`, then us-east-1.
    pub region: Option<String>,
    /// An S3-compatible service's endpoint (`https://<account>.r2.cloudflarestorage.com`).
    pub endpoint: Option<String>,
    /// Requests to `endpoint/bucket/key` rather than `bucket.endpoint/key`;
    /// true by default with an `endpoint`, false for AWS.
    pub path_style: Option<bool>,
    /// The site is built with this base URL for this target.
    pub base_url: Option<String>,
    /// Only files matching one of these globs are deployed (all when empty).
    pub include: Vec<String>,
    /// Files matching one of these are neither uploaded nor deleted.
    pub exclude: Vec<String>,
}

/// One `[[deploy.matchers]]` entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatcherConfig {
    /// A path glob relative to the output: `*` within a folder, `**` across.
    pub glob: String,
    pub cache_control: Option<String>,
    pub content_type: Option<String>,
}

/// `s3://bucket/some/prefix` → (`bucket`, `some/prefix/`); the prefix is
/// empty or ends with `/`.
pub fn parse_s3_url(url: &str) -> Result<(String, String), String> {
    let Some(rest) = url.strip_prefix("s3://") else {
        return Err(format!("`{url}` is not an s3:// URL"));
    };
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid_bucket = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !valid_bucket {
        return Err(format!(
            "`{bucket}` in `{url}` is not a bucket name (3 to 63 lowercase letters, digits, `-` and `.`)"
        ));
    }
    let prefix = prefix.trim_matches('/');
    if prefix.split('/').any(|part| part == "." || part == "..") {
        return Err(format!("the prefix of `{url}` has a `.` or `..` part"));
    }
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    Ok((bucket.to_string(), prefix))
}

impl DeployConfig {
    /// The errors `Config::validate` reports for `[deploy]`.
    pub fn validate(&self, text: &str, errors: &mut Vec<Diagnostic>) {
        let at = |key: &str, value: &str, message: String, hint: &str| {
            let d = Diagnostic::new(CONFIG_FILE, message).hint(hint);
            match find_value_line(text, key, value).or_else(|| find_key_line(text, key)) {
                Some(line) => d.at(line, 1),
                None => d,
            }
        };
        let mut names = std::collections::BTreeSet::new();
        for target in &self.targets {
            let name = &target.name;
            if name.is_empty() || name.starts_with("s3:") || name.contains('/') {
                errors.push(at(
                    "url",
                    &target.url,
                    format!("a [[deploy.targets]] entry needs a `name` (got `{name}`)"),
                    "name each target like name = \"production\" (no `/`): `blog deploy production` picks it",
                ));
            } else if !names.insert(name.as_str()) {
                errors.push(at(
                    "name",
                    name,
                    format!("deploy target `{name}` is listed twice"),
                    "give each [[deploy.targets]] entry its own name",
                ));
            }
            if let Err(message) = parse_s3_url(&target.url) {
                errors.push(at(
                    "url",
                    &target.url,
                    format!("deploy target `{name}`: {message}"),
                    "write it like url = \"s3://my-bucket\" or \"s3://my-bucket/blog\"",
                ));
            }
            if let Some(endpoint) = &target.endpoint {
                if !is_http_url(endpoint) {
                    errors.push(at(
                        "endpoint",
                        endpoint,
                        format!(
                            "deploy target `{name}`: endpoint `{endpoint}` is not an http(s) URL"
                        ),
                        "write it like endpoint = \"https://<account>.r2.cloudflarestorage.com\"",
                    ));
                }
            }
            if let Some(base_url) = &target.base_url {
                if !is_http_url(base_url) {
                    errors.push(at(
                        "base_url",
                        base_url,
                        format!("deploy target `{name}`: base_url `{base_url}` is not an absolute http(s) URL"),
                        "write it like base_url = \"https://example.org\"",
                    ));
                }
            }
            if let Some(region) = &target.region {
                if region.is_empty()
                    || !region
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    errors.push(at(
                        "region",
                        region,
                        format!("deploy target `{name}`: region `{region}` is not a region name"),
                        "write it like region = \"eu-west-1\" (R2: \"auto\")",
                    ));
                }
            }
            for glob in target.include.iter().chain(&target.exclude) {
                if glob.is_empty() {
                    errors.push(at(
                        "include",
                        "",
                        format!("deploy target `{name}`: an empty glob matches nothing"),
                        "write globs like \"**/*.html\" or \"drafts/**\"",
                    ));
                }
            }
        }
        for matcher in &self.matchers {
            if matcher.glob.is_empty() {
                errors.push(at(
                    "glob",
                    "",
                    "a [[deploy.matchers]] entry needs a `glob`".into(),
                    "write it like glob = \"**/*.woff2\"",
                ));
            }
            if matcher.cache_control.is_none() && matcher.content_type.is_none() {
                errors.push(at(
                    "glob",
                    &matcher.glob,
                    format!("deploy matcher `{}` sets neither cache_control nor content_type", matcher.glob),
                    "add cache_control = \"public, max-age=86400\" or content_type = \"font/woff2\", or remove the entry",
                ));
            }
            for value in [&matcher.cache_control, &matcher.content_type]
                .into_iter()
                .flatten()
            {
                if value.chars().any(|c| c.is_control()) {
                    errors.push(at(
                        "glob",
                        &matcher.glob,
                        format!(
                            "deploy matcher `{}`: a header value has a control character",
                            matcher.glob
                        ),
                        "write the header value on one line",
                    ));
                }
            }
        }
    }
}

fn is_http_url(url: &str) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty())
    })
}

/// The 1-based line where `key` is assigned a value containing `value`:
/// the entry at fault among several `[[deploy.targets]]`.
fn find_value_line(text: &str, key: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with('=') && rest.contains(&format!("\"{value}\""))
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn s3_urls_split_into_bucket_and_prefix() {
        assert_eq!(
            parse_s3_url("s3://my-site").unwrap_or_default(),
            ("my-site".into(), String::new())
        );
        assert_eq!(
            parse_s3_url("s3://my-site/blog/en/").unwrap_or_default(),
            ("my-site".into(), "blog/en/".into())
        );
        assert!(parse_s3_url("https://my-site").is_err());
        assert!(parse_s3_url("s3://My_Site").is_err());
        assert!(parse_s3_url("s3://ab").is_err());
        assert!(parse_s3_url("s3://site/../x").is_err());
    }

    #[test]
    fn targets_and_matchers_parse_with_defaults() {
        let c = Config::parse(
            "[[deploy.targets]]\nname = \"prod\"\nurl = \"s3://site/blog\"\nregion = \"eu-west-1\"\n\
             exclude = [\"drafts/**\"]\n\
             [[deploy.targets]]\nname = \"r2\"\nurl = \"s3://site\"\nendpoint = \"https://acct.r2.cloudflarestorage.com\"\n\
             base_url = \"https://r2.example\"\npath_style = false\n\
             [[deploy.matchers]]\nglob = \"**/*.woff2\"\ncache_control = \"public, max-age=604800\"\n",
        )
        .expect("parses");
        let targets = &c.deploy.targets;
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[0].name, "prod");
        assert_eq!(targets[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(targets[0].path_style, None);
        assert_eq!(targets[0].exclude, ["drafts/**"]);
        assert!(targets[0].include.is_empty());
        assert_eq!(targets[1].path_style, Some(false));
        assert_eq!(targets[1].base_url.as_deref(), Some("https://r2.example"));
        assert_eq!(c.deploy.matchers[0].content_type, None);
        assert!(Config::default().deploy.targets.is_empty());
    }

    #[test]
    fn unknown_keys_in_a_target_or_matcher_are_errors_at_their_line_and_column() {
        let errors = Config::parse(
            "title = \"x\"\n[[deploy.targets]]\nname = \"prod\"\nurl = \"s3://site\"\n  regoin = \"eu-west-1\"\n\
             [[deploy.matchers]]\nglob = \"*.css\"\ncache = \"x\"\n",
        )
        .expect_err("fails");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (Some(5), Some(3)));
        assert!(
            errors[0].message.contains("deploy.targets.regoin"),
            "{}",
            errors[0].message
        );
        assert_eq!(
            errors[0].hint.as_deref(),
            Some("did you mean `deploy.targets.region`?")
        );
        assert_eq!((errors[1].line, errors[1].column), (Some(8), Some(1)));
        assert!(
            errors[1].message.contains("deploy.matchers.cache"),
            "{}",
            errors[1].message
        );
        let errors = Config::parse("[deploy]\ntarget = []\n").expect_err("fails");
        assert_eq!(errors[0].line, Some(2));
        assert_eq!(
            errors[0].hint.as_deref(),
            Some("did you mean `deploy.targets`?")
        );
    }

    #[test]
    fn bad_values_are_errors_at_the_entry_at_fault() {
        let errors = Config::parse(
            "[[deploy.targets]]\nname = \"a\"\nurl = \"s3://good-bucket\"\n\
             [[deploy.targets]]\nname = \"b\"\nurl = \"https://bad\"\nendpoint = \"localhost:9000\"\n\
             [[deploy.targets]]\nname = \"a\"\nurl = \"s3://other-bucket\"\n\
             [[deploy.matchers]]\nglob = \"*.css\"\n",
        )
        .expect_err("fails");
        let found: Vec<(Option<usize>, &str)> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 4, "{found:?}");
        assert!(
            found.contains(&(
                Some(6),
                "deploy target `b`: `https://bad` is not an s3:// URL"
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                Some(7),
                "deploy target `b`: endpoint `localhost:9000` is not an http(s) URL"
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(Some(2), "deploy target `a` is listed twice")),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                Some(12),
                "deploy matcher `*.css` sets neither cache_control nor content_type"
            )),
            "{found:?}"
        );
        let errors = Config::parse("[[deploy.targets]]\nurl = \"s3://site\"\n").expect_err("fails");
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0].message.contains("needs a `name`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_wrong_type_is_an_error_at_its_line() {
        let errors = Config::parse(
            "[[deploy.targets]]\nname = \"a\"\nurl = \"s3://site\"\npath_style = \"yes\"\n",
        )
        .expect_err("fails");
        assert_eq!(errors[0].line, Some(4));
    }
}
