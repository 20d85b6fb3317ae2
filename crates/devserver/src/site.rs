//! The one-process site: the local tenant on its own port, and on the relay's port the relay
//! itself, the demo page, the built SDK and the tenant's dev inbox (`/dev/*`).

use std::future::IntoFuture;
use std::path::PathBuf;

use axum::http::Method;
use passwordless_tenant::config::{TenantConfig, DEMO_CLIENT_ID};
use passwordless_tenant::{
    dev_routes, open_tenant, random_secret, router as tenant_router, Storage,
};
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

use passwordless_relay::config::{ClientSecret, Limits, RelayConfig};
use passwordless_relay::{app, cors, Relay};

/// Where the devserver listens and what it serves.
pub struct DevOptions {
    pub relay_listener: TcpListener,
    pub tenant_listener: TcpListener,
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// Origins allowed besides the relay's own (`*` for any).
    pub extra_origins: Vec<String>,
    /// The demo client's secret; a random one when `None`. Tests set it to prove it never leaks.
    pub demo_client_secret: Option<String>,
    /// Where the tenant keeps its state; `None` keeps it in memory.
    pub data_dir: Option<PathBuf>,
}

/// Serves the relay and the local tenant until `shutdown` completes.
pub async fn run(
    options: DevOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let relay_addr = options.relay_listener.local_addr()?;
    let tenant_addr = options.tenant_listener.local_addr()?;
    let mut origins = vec![format!("http://{relay_addr}")];
    if relay_addr.ip().is_loopback() {
        origins.push(format!("http://localhost:{}", relay_addr.port()));
    }
    origins.extend(options.extra_origins);

    let tenant_url = format!("http://{tenant_addr}");
    let secret = options.demo_client_secret.unwrap_or_else(random_secret);
    let storage = match &options.data_dir {
        Some(dir) => Storage::DataDir(dir),
        None => Storage::InMemory,
    };
    let mut tenant_config = TenantConfig::demo(&tenant_url, secret.clone(), origins.clone());
    // Everything comes from 127.0.0.1 in development: Auth0's 50 an hour would stop a developer
    // (and the test suites) within the hour.
    tenant_config.start_limit_per_hour = 10_000;
    // Passkeys: WebAuthn refuses an IP as rp id; the demo page is served at localhost:PORT.
    tenant_config.rp_id = Some("localhost".to_owned());
    // Code messages also link to the demo page (its fragment carries the code), on any device.
    if let Some(demo) = tenant_config.clients.first_mut() {
        demo.code_link_url = Some(format!("http://localhost:{}/", relay_addr.port()));
    }
    let tenant = open_tenant(tenant_config, storage)?;
    let mut config = RelayConfig::new(&tenant_url, DEMO_CLIENT_ID, ClientSecret::new(secret));
    config.allowed_origins = origins.clone();
    config.callbacks = origins.iter().map(|o| format!("{o}/")).collect();
    // A developer and the test suites sign in many times an hour from one address.
    config.limits = Limits {
        start_per_ip: 10_000,
        start_per_identifier: 1_000,
        failed_token_per_ip: 10_000,
    };
    let relay = Relay::new(config).await?;

    // The relay's routes, the tenant's dev routes, and the files; the files replace the
    // relay's 404 fallback.
    let site = app(relay)
        .merge(
            dev_routes(tenant.clone()).layer(cors(&origins).allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::DELETE,
            ])),
        )
        .nest_service("/pkg", ServeDir::new(&options.pkg))
        .fallback_service(ServeDir::new(&options.www));

    println!("local tenant:  {tenant_url}/");
    // localhost, not the IP: WebAuthn (passkeys) refuses an IP address as relying party.
    println!("demo page:     http://localhost:{}/", relay_addr.port());

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let stopped = |mut rx: tokio::sync::watch::Receiver<()>| async move {
        let _ = rx.changed().await;
    };
    let tenant_server = axum::serve(
        options.tenant_listener,
        tenant_router(tenant).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stopped(stop_rx.clone()));
    let relay_server = axum::serve(
        options.relay_listener,
        site.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stopped(stop_rx));
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(());
    });
    let (tenant_result, relay_result) =
        tokio::join!(tenant_server.into_future(), relay_server.into_future());
    tenant_result?;
    relay_result?;
    Ok(())
}
