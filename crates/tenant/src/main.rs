//! `passwordless-tenant`: serve a local Auth0-compatible tenant.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use passwordless_tenant::config::TenantConfig;
use passwordless_tenant::{config_file, open_tenant, random_secret, router, Storage};
use tokio::net::TcpListener;

/// A local Auth0-compatible identity provider for development and tests.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(
        long,
        env = "PASSWORDLESS_TENANT_LISTEN",
        default_value = "127.0.0.1:8081"
    )]
    listen: String,
    /// Public base URL of the tenant (the issuer, without the trailing slash), e.g. when it
    /// runs behind a TLS-terminating proxy. Defaults to the config's `issuer`, else http://LISTEN.
    #[arg(long, env = "PASSWORDLESS_TENANT_ISSUER")]
    issuer: Option<String>,
    /// The passkeys' WebAuthn relying party id (a domain, never an IP). Defaults to the
    /// config's `rp_id`, else the issuer's host (`localhost` for a loopback IP).
    #[arg(long, env = "PASSWORDLESS_TENANT_RP_ID")]
    rp_id: Option<String>,
    /// The relying party's name that authenticators show. Defaults to the config's
    /// `rp_name`, else the rp id.
    #[arg(long, env = "PASSWORDLESS_TENANT_RP_NAME")]
    rp_name: Option<String>,
    /// A TOML file declaring the clients and policies; without it, a built-in demo client.
    #[arg(long, env = "PASSWORDLESS_TENANT_CONFIG")]
    config: Option<PathBuf>,
    /// Folder of the tenant's SQLite database (users, keys, codes, tokens, inbox).
    #[arg(
        long,
        env = "PASSWORDLESS_TENANT_DATA_DIR",
        default_value = ".tenant-data"
    )]
    data_dir: PathBuf,
    /// Keep everything in memory instead (lost at exit).
    #[arg(long, conflicts_with = "data_dir")]
    in_memory: bool,
    /// Secret of the built-in demo client; a random one is made (and printed) when absent.
    #[arg(long, env = "PASSWORDLESS_DEMO_CLIENT_SECRET", hide_env_values = true)]
    demo_client_secret: Option<String>,
    /// Origin of the demo application (its callback is ORIGIN/); may be repeated.
    #[arg(long = "demo-origin", env = "PASSWORDLESS_DEMO_ORIGINS", value_delimiter = ',',
          default_values_t = ["http://127.0.0.1:8080".to_owned(), "http://localhost:8080".to_owned()])]
    demo_origins: Vec<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("passwordless-tenant: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let listener = TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr()?;
    let default_issuer = format!("http://{address}");
    let mut config = match &args.config {
        Some(path) => config_file::load(path, &default_issuer)?,
        None => {
            let secret = args.demo_client_secret.clone().unwrap_or_else(|| {
                let secret = random_secret();
                // Only this dev tool ever prints a secret: the demo client's, made up just now.
                println!("demo client secret (random, this run only): {secret}");
                secret
            });
            TenantConfig::demo(&default_issuer, secret, args.demo_origins.clone())
        }
    };
    if let Some(issuer) = &args.issuer {
        config.issuer_base = issuer.trim_end_matches('/').to_owned();
    }
    if let Some(rp_id) = &args.rp_id {
        config_file::check_rp_id(rp_id).map_err(|reason| format!("--rp-id: {reason}"))?;
        config.rp_id = Some(rp_id.clone());
    }
    if let Some(rp_name) = &args.rp_name {
        config.rp_name = Some(rp_name.clone());
    }
    let storage = if args.in_memory {
        Storage::InMemory
    } else {
        Storage::DataDir(&args.data_dir)
    };
    let tenant = open_tenant(config, storage)?;
    println!(
        "local tenant: {}/ (listening on {address})",
        tenant.config().issuer_base
    );
    axum::serve(
        listener,
        router(tenant).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Ctrl-C or SIGTERM (what a process manager sends): stop accepting, let the requests in
/// flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
