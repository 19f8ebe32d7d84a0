//! Which address a request comes from. Behind a load balancer every connection comes from the
//! balancer; only when the peer is a configured trusted proxy is the forwarding header believed,
//! and only the one header the proxies are configured to write (`X-Forwarded-For` by default,
//! or `Forwarded`): a proxy passes the other one through untouched, so a client could forge it.
//! The header is read right to left (each proxy appends), skipping trusted proxies; an entry
//! that is not an address ends the walk, since nothing to its left can be trusted.
//! From anyone else those headers are ignored: a client cannot pick its own rate-limit bucket.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The header the trusted proxies write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardedHeader {
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=…`.
    Forwarded,
}

impl FromStr for ForwardedHeader {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(ForwardedHeader::XForwardedFor),
            "forwarded" => Ok(ForwardedHeader::Forwarded),
            other => Err(format!(
                "{other:?} is not a forwarding header (x-forwarded-for or forwarded)"
            )),
        }
    }
}

impl ForwardedHeader {
    pub fn name(self) -> &'static str {
        match self {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
        }
    }

    /// The header's entries, left to right, as written (`None` for one that is no address).
    fn entries(self, headers: &HeaderMap) -> Vec<Option<IpAddr>> {
        let mut chain = Vec::new();
        for value in headers.get_all(self.name()) {
            let Ok(value) = value.to_str() else {
                chain.push(None);
                continue;
            };
            for element in value.split(',') {
                chain.push(match self {
                    ForwardedHeader::XForwardedFor => node(element),
                    ForwardedHeader::Forwarded => element.split(';').find_map(|pair| {
                        let (key, value) = pair.trim().split_once('=')?;
                        key.trim()
                            .eq_ignore_ascii_case("for")
                            .then(|| node(value))?
                    }),
                });
            }
        }
        chain
    }
}

pub fn client_ip(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in header.entries(headers).into_iter().rev() {
        let Some(ip) = entry else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// `192.0.2.60`, `192.0.2.60:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1` → the address.
fn node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    let ip = if let Some(rest) = node.strip_prefix('[') {
        rest.split(']').next()?.parse().ok()
    } else {
        node.parse::<IpAddr>().ok().or_else(|| {
            node.rsplit_once(':')?
                .0
                .parse::<std::net::Ipv4Addr>()
                .ok()
                .map(IpAddr::V4)
        })
    }?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = headers(&[("x-forwarded-for", "203.0.113.9, 198.51.100.4, 10.1.2.3")]);
        // From the balancer: the last address it did not add itself.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &xff, &trusted, XFF),
            ip("198.51.100.4")
        );
        // The balancer on a dual-stack socket.
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.1"), &xff, &trusted, XFF),
            ip("198.51.100.4")
        );
        // From the internet directly: the header is a claim, not an address.
        assert_eq!(
            client_ip(ip("198.51.100.77"), &xff, &trusted, XFF),
            ip("198.51.100.77")
        );
        // No proxies configured: never believed.
        assert_eq!(client_ip(ip("10.0.0.1"), &xff, &[], XFF), ip("10.0.0.1"));
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let trusted: Vec<IpNet> = vec!["10.0.0.1/32".parse().unwrap()];
        let h = headers(&[
            (
                "forwarded",
                "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
            ),
            ("x-forwarded-for", "198.51.100.4:5123"),
        ]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &trusted, ForwardedHeader::Forwarded),
            ip("2001:db8:cafe::17")
        );
        // The balancer writes X-Forwarded-For; a Forwarded header came from the client.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &h, &trusted, XFF),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn an_entry_that_is_no_address_ends_the_walk() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // Left of "unknown" anything could be forged: the proxy next to it is the answer.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.2.2.2")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &trusted, XFF), ip("10.2.2.2"));
        let garbage = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            client_ip(ip("10.0.0.1"), &garbage, &trusted, XFF),
            ip("10.0.0.1")
        );
        assert_eq!(
            "Forwarded".parse::<ForwardedHeader>(),
            Ok(ForwardedHeader::Forwarded)
        );
        assert!("x-real-ip".parse::<ForwardedHeader>().is_err());
    }
}
