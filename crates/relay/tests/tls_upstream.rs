//! The upstream over HTTPS: a local TLS server with a certificate from a test CA is trusted
//! when that CA is configured, and refused when it is not.

mod common;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A TLS upstream on loopback; answers the CA's PEM and the base URL.
async fn tls_upstream() -> (String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();

    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let server = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(server));
    let router = Router::new().route(
        "/.well-known/openid-configuration",
        get(|| async { Json(json!({ "issuer": "https://127.0.0.1/" })) }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let router = router.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let service = hyper::service::service_fn(move |request| {
                    tower::ServiceExt::oneshot(router.clone(), request)
                });
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
            });
        }
    });
    (ca.pem(), format!("https://127.0.0.1:{port}"))
}

#[tokio::test]
async fn an_https_upstream_with_a_trusted_ca_works_and_an_unknown_ca_is_refused() {
    let (ca_pem, upstream) = tls_upstream().await;

    let mut config = relay_config(&upstream);
    config.upstream_ca_pem = Some(ca_pem.into_bytes());
    let relay = relay_with(config).await;
    let document = get_json(&format!("{relay}/.well-known/openid-configuration")).await;
    assert_eq!(document["issuer"], "https://127.0.0.1/");

    let relay = relay_to(&upstream).await;
    let response = reqwest::get(format!("{relay}/.well-known/openid-configuration"))
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        502,
        "a certificate from an unknown CA is not trusted"
    );
}
