//! Where `blog deploy` finds its AWS credentials and region, as the AWS
//! tools do: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
//! else the profile AWS_PROFILE names (`default`) in the shared
//! credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) or
//! the config file (AWS_CONFIG_FILE, ~/.aws/config, `[profile name]`).
//! The secret lives in a `Secret`, whose Debug and Display never show it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// A value that must never be printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[secret]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[secret]")
    }
}

#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

/// The environment, as a lookup (tests give their own).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn var(env: Env<'_>, key: &str) -> Option<String> {
    env(key).filter(|v| !v.trim().is_empty())
}

/// One INI file's sections: `[default]`, `[profile work]`, `[work]`.
type Ini = BTreeMap<String, BTreeMap<String, String>>;

fn parse_ini(text: &str) -> Ini {
    let mut sections = Ini::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            if let Some(keys) = sections.get_mut(section) {
                keys.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
            }
        }
    }
    sections
}

/// The AWS files of a user: where they are, and their profile.
pub struct Profiles {
    pub profile: String,
    credentials: (PathBuf, Ini),
    config: (PathBuf, Ini),
}

impl Profiles {
    pub fn load(env: Env<'_>) -> Profiles {
        let home = var(env, "HOME").map(PathBuf::from).unwrap_or_default();
        let path = |key: &str, default: &str| {
            var(env, key)
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(".aws").join(default))
        };
        let read = |path: PathBuf| {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            (path, parse_ini(&text))
        };
        Profiles {
            profile: var(env, "AWS_PROFILE").unwrap_or_else(|| "default".into()),
            credentials: read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials")),
            config: read(path("AWS_CONFIG_FILE", "config")),
        }
    }

    /// The profile's keys in the credentials file, then in the config file.
    fn lookup(&self, key: &str) -> Option<&str> {
        let name = &self.profile;
        let in_config = if name == "default" {
            vec!["default".to_string(), "profile default".to_string()]
        } else {
            vec![format!("profile {name}")]
        };
        self.credentials
            .1
            .get(name)
            .and_then(|keys| keys.get(key))
            .or_else(|| {
                in_config
                    .iter()
                    .find_map(|section| self.config.1.get(section).and_then(|keys| keys.get(key)))
            })
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn region(&self) -> Option<&str> {
        self.lookup("region")
    }

    pub fn endpoint_url(&self) -> Option<&str> {
        self.lookup("endpoint_url")
    }

    /// Whether the profile named by AWS_PROFILE is in either file.
    fn exists(&self) -> bool {
        let name = &self.profile;
        self.credentials.1.contains_key(name)
            || self.config.1.contains_key(&format!("profile {name}"))
            || (name == "default" && self.config.1.contains_key("default"))
    }
}

/// The credentials to sign with, or what to do to provide them.
pub fn resolve(env: Env<'_>, profiles: &Profiles) -> Result<Credentials, String> {
    match (var(env, "AWS_ACCESS_KEY_ID"), var(env, "AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => {
            return Ok(Credentials {
                access_key_id: id,
                secret_access_key: Secret::new(secret),
                session_token: var(env, "AWS_SESSION_TOKEN").map(Secret::new),
            })
        }
        (Some(_), None) => {
            return Err("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use a profile".into())
        }
        (None, Some(_)) => {
            return Err("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither to use a profile".into())
        }
        (None, None) => {}
    }
    let id = profiles.lookup("aws_access_key_id");
    let secret = profiles.lookup("aws_secret_access_key");
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials {
            access_key_id: id.to_string(),
            secret_access_key: Secret::new(secret.to_string()),
            session_token: profiles
                .lookup("aws_session_token")
                .map(|t| Secret::new(t.to_string())),
        }),
        _ if profiles.exists() => Err(format!(
            "profile `{}` in {} has no aws_access_key_id and aws_secret_access_key: add them, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            profiles.profile,
            profiles.credentials.0.display()
        )),
        _ => Err(format!(
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [{}] profile to {} (AWS_PROFILE picks another)",
            profiles.profile,
            profiles.credentials.0.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn environment_keys_win_and_the_secret_never_prints() {
        let env = env_of(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "s3cr3t-env"),
            ("AWS_SESSION_TOKEN", "tok"),
            ("HOME", "/nonexistent"),
        ]);
        let profiles = Profiles::load(&env);
        let c = resolve(&env, &profiles).expect("resolves");
        assert_eq!(c.access_key_id, "AKIDENV");
        assert_eq!(c.secret_access_key.expose(), "s3cr3t-env");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("tok\""),
            "{shown}"
        );
        let half = env_of(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("HOME", "/nonexistent")]);
        let e = resolve(&half, &Profiles::load(&half)).expect_err("half is an error");
        assert!(e.contains("AWS_SECRET_ACCESS_KEY is not"), "{e}");
    }

    #[test]
    fn profiles_come_from_the_credentials_and_config_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let creds = dir.path().join("creds");
        let config = dir.path().join("config");
        std::fs::write(
            &creds,
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d3f\n\n[work]\n\
             aws_access_key_id=AKIDWORK\naws_secret_access_key=w0rk\n",
        )
        .expect("write");
        std::fs::write(
            &config,
            "[default]\nregion = us-west-2\n[profile work]\nregion = eu-central-1\n\
             endpoint_url = http://127.0.0.1:9000\n[profile only-config]\n\
             aws_access_key_id = AKIDCONF\naws_secret_access_key = c0nf\n[profile empty]\nregion = x\n",
        )
        .expect("write");
        let (creds, config) = (creds.to_string_lossy(), config.to_string_lossy());
        let files = [
            ("AWS_SHARED_CREDENTIALS_FILE", creds.as_ref()),
            ("AWS_CONFIG_FILE", config.as_ref()),
        ];
        let with = |profile: Option<&str>| {
            let mut pairs = files.to_vec();
            if let Some(p) = profile {
                pairs.push(("AWS_PROFILE", p));
            }
            let env = env_of(&pairs);
            let profiles = Profiles::load(&env);
            (resolve(&env, &profiles), profiles)
        };
        let (c, p) = with(None);
        assert_eq!(c.expect("default").access_key_id, "AKIDDEFAULT");
        assert_eq!(p.region(), Some("us-west-2"));
        let (c, p) = with(Some("work"));
        assert_eq!(c.expect("work").access_key_id, "AKIDWORK");
        assert_eq!(p.region(), Some("eu-central-1"));
        assert_eq!(p.endpoint_url(), Some("http://127.0.0.1:9000"));
        let (c, _) = with(Some("only-config"));
        assert_eq!(c.expect("config file").secret_access_key.expose(), "c0nf");
        let (c, _) = with(Some("empty"));
        let e = c.expect_err("no keys");
        assert!(
            e.contains("profile `empty`") && e.contains("has no aws_access_key_id"),
            "{e}"
        );
        let (c, _) = with(Some("missing"));
        let e = c.expect_err("no profile");
        assert!(
            e.starts_with("no AWS credentials") && e.contains("[missing]"),
            "{e}"
        );
    }
}
