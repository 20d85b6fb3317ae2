//! Property tests of `client_ip`, the parser of the forwarding headers (`X-Forwarded-For`,
//! `Forwarded`, `auth0-forwarded-for`) that any client can send. `PROPTEST_CASES` bounds it.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue};
use passwordless_relay::client_ip::{client_ip, Cidr};
use proptest::prelude::*;

const NAMES: [&str; 4] = [
    "x-forwarded-for",
    "forwarded",
    "auth0-forwarded-for",
    "x-real-ip",
];

/// Header values as proxies and attackers write them: addresses with ports and brackets,
/// `for=` pairs, lists, garbage.
fn value() -> impl Strategy<Value = String> {
    let ip = any::<IpAddr>().prop_map(|ip| ip.to_string());
    let element = prop_oneof![
        ip.clone(),
        ip.clone().prop_map(|ip| format!("{ip}:443")),
        any::<std::net::Ipv6Addr>().prop_map(|ip| format!("[{ip}]:80")),
        ip.clone().prop_map(|ip| format!("for={ip};proto=https")),
        ip.prop_map(|ip| format!("for=\"{ip}\"")),
        "[ -~]{0,24}",
    ];
    prop::collection::vec(element, 1..5).prop_map(|parts| parts.join(", "))
}

fn headers() -> impl Strategy<Value = Vec<(usize, String)>> {
    prop::collection::vec((0..NAMES.len(), value()), 0..6)
}

fn map(pairs: &[(usize, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.append(NAMES[*name], value);
        }
    }
    map
}

proptest! {
    /// From a peer that is not a trusted proxy, no header changes the IP: it is the peer's.
    #[test]
    fn an_untrusted_peer_is_its_own_ip(peer in any::<IpAddr>(), pairs in headers()) {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        prop_assume!(!trusted[0].contains(peer));
        prop_assert_eq!(client_ip(peer, &map(&pairs), &trusted), peer);
        prop_assert_eq!(client_ip(peer, &map(&pairs), &[]), peer);
    }

    /// Behind a trusted proxy the answer is the peer or an untrusted address that the headers
    /// name: never one made up, never a trusted proxy's own.
    #[test]
    fn behind_a_trusted_proxy_the_ip_comes_from_the_headers(last in 0u8..=255, pairs in headers()) {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let peer: IpAddr = format!("10.0.0.{last}").parse().unwrap();
        let ip = client_ip(peer, &map(&pairs), &trusted);
        if ip != peer {
            prop_assert!(!trusted[0].contains(ip));
            let named = pairs.iter().any(|(n, v)| {
                NAMES[*n] != "auth0-forwarded-for" && NAMES[*n] != "x-real-ip"
                    && (v.contains(&ip.to_string()) || v.to_lowercase().contains(&ip.to_string()))
            });
            prop_assert!(named, "{ip} from {pairs:?}");
        }
    }
}
