//! Who a limit counts: a client's network, or the email address / phone number a code goes to.
//!
//! An IPv4 client is its address. An IPv6 client is its /64: one subscriber's network or one
//! host's SLAAC range, where counting each of its 2^64 addresses would let one machine
//! through any per-IP limit. An IPv4-mapped IPv6 peer (`::ffff:a.b.c.d`, a dual-stack socket)
//! is the IPv4 address it maps, not the /64 every mapped address shares.

use std::fmt;
use std::net::IpAddr;

use ipnet::{IpNet, Ipv6Net};

/// The key a limit is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A client's network: an IPv4 `/32` or an IPv6 `/64`.
    Client(IpNet),
    /// A normalised email address or E.164 phone number.
    Identifier(String),
}

/// How much of an IPv6 address names one client.
const IPV6_CLIENT_PREFIX: u8 = 64;

impl Subject {
    /// The client network that `ip` belongs to.
    pub fn client(ip: IpAddr) -> Self {
        let net = match ip {
            IpAddr::V4(_) => IpNet::from(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpNet::from(IpAddr::V4(v4)),
                None => Ipv6Net::new(v6, IPV6_CLIENT_PREFIX)
                    .map_or(IpNet::from(ip), |net| IpNet::V6(net.trunc())),
            },
        };
        Subject::Client(net)
    }

    pub fn identifier(identifier: &str) -> Self {
        Subject::Identifier(identifier.to_owned())
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Client(net) => write!(f, "{net}"),
            Subject::Identifier(identifier) => f.write_str(identifier),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(ip: &str) -> Subject {
        Subject::client(ip.parse().unwrap())
    }

    #[test]
    fn an_ipv4_client_is_its_whole_address() {
        assert_eq!(client("203.0.113.7").to_string(), "203.0.113.7/32");
        assert_ne!(client("203.0.113.7"), client("203.0.113.8"));
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let one = client("2001:db8:1:2::1");
        assert_eq!(one.to_string(), "2001:db8:1:2::/64");
        for same in ["2001:db8:1:2::ffff", "2001:db8:1:2:abcd:ef01:2345:6789"] {
            assert_eq!(client(same), one, "{same}");
        }
        for other in ["2001:db8:1:3::1", "2001:db8:2:2::1", "2001:db9:1:2::1"] {
            assert_ne!(client(other), one, "{other}");
        }
    }

    #[test]
    fn an_ipv4_mapped_peer_is_its_ipv4_address() {
        assert_eq!(client("::ffff:203.0.113.7"), client("203.0.113.7"));
        assert_ne!(client("::ffff:203.0.113.7"), client("::ffff:203.0.113.8"));
    }

    #[test]
    fn identifiers_and_clients_never_collide() {
        assert_ne!(Subject::identifier("203.0.113.7/32"), client("203.0.113.7"));
    }
}
