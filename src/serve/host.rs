//! Which `Host` and `Origin` headers `blog serve` answers. A page on any web
//! site the author visits could otherwise point a name it controls at
//! 127.0.0.1 (DNS rebinding) and read everything the dev server shows,
//! drafts included. Names are what such an attack needs, so only these are
//! answered: loopback names and addresses, the address given to `--bind`
//! (every address of this machine for 0.0.0.0 or ::), and the names the
//! author allows (`--allow-host`, `[serve] allow_hosts`). Takes header
//! values, returns a verdict; no I/O but the check that an address is this
//! machine's own.

use std::net::IpAddr;

/// A `Host` header's parts: a lowercase name without its trailing dot, or an
/// IP address, and the port if one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub host: HostName,
    pub port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostName {
    Name(String),
    Ip(IpAddr),
}

impl std::fmt::Display for Authority {
    /// The normalised form, as links name it: `localhost:1111`, `[::1]:80`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.host {
            HostName::Name(name) => write!(f, "{name}")?,
            HostName::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]")?,
            HostName::Ip(ip) => write!(f, "{ip}")?,
        }
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// Parses `host[:port]` as RFC 9110 (7.2) and RFC 3986 (3.2.2) write it:
/// a reg-name, an IPv4 address or a bracketed IPv6 address. `None` for
/// anything else (spaces, slashes, an empty name, a bad port).
pub fn parse_authority(value: &str) -> Option<Authority> {
    let value = value.trim();
    if value.is_empty() || value.len() > 300 {
        return None;
    }
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = inside.parse().ok()?;
        let port = match after {
            "" => None,
            _ => Some(parse_port(after.strip_prefix(':')?)?),
        };
        (HostName::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match value.rsplit_once(':') {
            Some((name, port)) => (name, Some(parse_port(port)?)),
            None => (value, None),
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        let valid = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if !valid {
            return None;
        }
        match name.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => (HostName::Ip(IpAddr::V4(ip)), port),
            Err(_) => (HostName::Name(name.to_string()), port),
        }
    };
    Some(Authority { host, port })
}

fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whether `value` can be allowed: a host name or address without a port,
/// or `.name` for a name and every name under it.
pub fn is_allowable(value: &str) -> bool {
    let name = value.trim();
    let name = name.strip_prefix('.').unwrap_or(name);
    (!name.contains(':') && parse_authority(name).is_some())
        || name.parse::<std::net::Ipv6Addr>().is_ok()
}

/// The hosts a server answers, from its bind address and the names the
/// author allowed.
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    /// `--bind` as given: a name, an address, or unspecified (0.0.0.0, ::).
    bind: Option<HostName>,
    /// Allowed names, lowercase; a leading dot allows the name and every
    /// name under it.
    allowed: Vec<String>,
}

/// Why a request was not answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No Host, several, or one that is not a host (400).
    Malformed,
    /// A host this server does not answer (403); carries the name to allow.
    NotAllowed(String),
}

impl HostPolicy {
    /// `bind` is the `--bind` value; `allowed` the `--allow-host` values and
    /// `[serve] allow_hosts`, each a name, an address, or `.name` for the
    /// name and everything under it.
    pub fn new(bind: &str, allowed: &[String]) -> HostPolicy {
        let bind = parse_authority(bind)
            .or_else(|| parse_authority(&format!("[{bind}]")))
            .map(|a| a.host);
        let allowed = allowed
            .iter()
            .map(|name| {
                let name = name.trim().to_ascii_lowercase();
                name.strip_suffix('.').unwrap_or(&name).to_string()
            })
            .filter(|name| !name.is_empty())
            .collect();
        HostPolicy { bind, allowed }
    }

    /// Checks a request's Host header values (all of them: more than one
    /// is malformed). HTTP/1.0 may omit the header; HTTP/1.1 may not (RFC
    /// 9112, 3.2).
    pub fn check(&self, values: &[&str], http_1_0: bool) -> Result<Option<Authority>, Refusal> {
        match values {
            [] if http_1_0 => Ok(None),
            [value] => {
                let authority = parse_authority(value).ok_or(Refusal::Malformed)?;
                if self.allows(&authority.host) {
                    Ok(Some(authority))
                } else {
                    Err(Refusal::NotAllowed(match &authority.host {
                        HostName::Name(name) => name.clone(),
                        HostName::Ip(ip) => ip.to_string(),
                    }))
                }
            }
            _ => Err(Refusal::Malformed),
        }
    }

    /// Whether an event stream may answer a request carrying `origin`:
    /// none (a same-origin EventSource sends none), or exactly the origin
    /// of the page's own server, `http://` and the checked Host.
    pub fn origin_allowed(origin: Option<&str>, host: Option<&Authority>) -> bool {
        let Some(origin) = origin else {
            return true;
        };
        let Some(host) = host else {
            return false;
        };
        let Some(rest) = origin.trim().strip_prefix("http://") else {
            return false;
        };
        parse_authority(rest).is_some_and(|o| o == *host)
    }

    fn allows(&self, host: &HostName) -> bool {
        match host {
            HostName::Name(name) => {
                name == "localhost"
                    || name.ends_with(".localhost")
                    || self.bind.as_ref() == Some(host)
                    || self
                        .allowed
                        .iter()
                        .any(|allowed| match allowed.strip_prefix('.') {
                            Some(parent) => {
                                name == parent
                                    || name
                                        .strip_suffix(parent)
                                        .is_some_and(|sub| sub.ends_with('.'))
                            }
                            None => name == allowed,
                        })
            }
            HostName::Ip(ip) => {
                let ip = canonical(*ip);
                if ip.is_loopback() {
                    return true;
                }
                if self.allowed.iter().any(|a| a.parse::<IpAddr>() == Ok(ip)) {
                    return true;
                }
                match &self.bind {
                    Some(HostName::Ip(bind)) if bind.is_unspecified() => {
                        !ip.is_unspecified() && is_own_address(ip)
                    }
                    Some(HostName::Ip(bind)) => canonical(*bind) == ip,
                    _ => false,
                }
            }
        }
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether `ip` is an address of this machine: only those can be bound.
fn is_own_address(ip: IpAddr) -> bool {
    std::net::UdpSocket::bind((ip, 0)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(bind: &str, allowed: &[&str]) -> HostPolicy {
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        HostPolicy::new(bind, &allowed)
    }

    fn verdict(p: &HostPolicy, host: &str) -> &'static str {
        match p.check(&[host], false) {
            Ok(_) => "ok",
            Err(Refusal::Malformed) => "400",
            Err(Refusal::NotAllowed(_)) => "403",
        }
    }

    #[test]
    fn authorities_parse_as_the_rfc_writes_them() {
        let name = |n: &str, port| Authority {
            host: HostName::Name(n.into()),
            port,
        };
        assert_eq!(
            parse_authority("LocalHost:1111"),
            Some(name("localhost", Some(1111)))
        );
        assert_eq!(parse_authority("localhost."), Some(name("localhost", None)));
        assert_eq!(
            parse_authority("[::1]:80"),
            Some(Authority {
                host: HostName::Ip("::1".parse().expect("ip")),
                port: Some(80)
            })
        );
        for bad in [
            "",
            ":80",
            "a b",
            "a/b",
            "[::1",
            "[::1]x",
            "[zz]",
            "a:",
            "a:99999",
            "a:8x",
            "a..b",
            "evil.example/\"><script>",
            "user@host",
        ] {
            assert_eq!(parse_authority(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn loopback_names_and_addresses_are_answered() {
        let p = policy("127.0.0.1", &[]);
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.:1111",
            "app.localhost:1111",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            assert_eq!(verdict(&p, host), "ok", "{host}");
        }
    }

    #[test]
    fn other_names_and_addresses_are_refused() {
        let p = policy("127.0.0.1", &[]);
        for host in [
            "evil.example.com",
            "evil.example.com:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.20:1111",
            "0.0.0.0:1111",
            "[::]:1111",
            "[fe80::1]:1111",
            // Numeric forms a browser would have normalised: names here.
            "2130706433",
            "0x7f000001",
        ] {
            assert_eq!(verdict(&p, host), "403", "{host}");
        }
        assert_eq!(
            p.check(&["evil.example.com:1111"], false),
            Err(Refusal::NotAllowed("evil.example.com".into()))
        );
    }

    #[test]
    fn a_missing_or_repeated_host_is_malformed_on_http_1_1() {
        let p = policy("127.0.0.1", &[]);
        assert_eq!(p.check(&[], false), Err(Refusal::Malformed));
        assert_eq!(p.check(&[], true), Ok(None));
        assert_eq!(
            p.check(&["localhost", "localhost"], false),
            Err(Refusal::Malformed)
        );
        assert_eq!(verdict(&p, "a b"), "400");
    }

    #[test]
    fn allowed_names_and_the_bind_address_are_answered() {
        let p = policy(
            "192.168.1.20",
            &["blog.test", ".tunnel.example", "10.0.0.7"],
        );
        assert_eq!(verdict(&p, "192.168.1.20:1111"), "ok");
        assert_eq!(verdict(&p, "192.168.1.21:1111"), "403");
        assert_eq!(verdict(&p, "Blog.Test:1111"), "ok");
        assert_eq!(verdict(&p, "www.blog.test"), "403");
        assert_eq!(verdict(&p, "tunnel.example"), "ok");
        assert_eq!(verdict(&p, "abc.tunnel.example"), "ok");
        assert_eq!(verdict(&p, "abctunnel.example"), "403");
        assert_eq!(verdict(&p, "10.0.0.7:1111"), "ok");
        let named = policy("devbox.local", &[]);
        assert_eq!(verdict(&named, "devbox.local:1111"), "ok");
        assert_eq!(verdict(&named, "other.local:1111"), "403");
        let v6 = policy("::1", &[]);
        assert_eq!(verdict(&v6, "[::1]:1111"), "ok");
    }

    #[test]
    fn every_address_answers_this_machines_own_addresses_only() {
        let p = policy("0.0.0.0", &[]);
        assert_eq!(verdict(&p, "127.0.0.1:1111"), "ok");
        // Documentation addresses (RFC 5737) belong to no machine.
        assert_eq!(verdict(&p, "192.0.2.1:1111"), "403");
        assert_eq!(verdict(&p, "0.0.0.0:1111"), "403");
        assert_eq!(verdict(&p, "evil.example.com:1111"), "403");
    }

    #[test]
    fn allowable_hosts() {
        for ok in [
            "devbox.local",
            ".tunnel.example",
            "192.168.1.20",
            "fe80::1",
            "Blog.Test.",
        ] {
            assert!(is_allowable(ok), "{ok}");
        }
        for bad in ["", ".", "a b", "host:8080", "http://host", "*"] {
            assert!(!is_allowable(bad), "{bad}");
        }
    }

    #[test]
    fn event_streams_answer_their_own_origin_only() {
        let host = parse_authority("127.0.0.1:1111");
        let ok = |origin| HostPolicy::origin_allowed(origin, host.as_ref());
        assert!(ok(None));
        assert!(ok(Some("http://127.0.0.1:1111")));
        assert!(!ok(Some("http://127.0.0.1:2222")));
        assert!(!ok(Some("http://localhost:1111")));
        assert!(!ok(Some("https://127.0.0.1:1111")));
        assert!(!ok(Some("http://evil.example.com")));
        assert!(!ok(Some("null")));
        assert!(!HostPolicy::origin_allowed(
            Some("http://127.0.0.1:1111"),
            None
        ));
    }
}
