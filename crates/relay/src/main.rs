//! `passwordless-relay`: serve the relay (`serve`), or the whole product locally (`dev`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use passwordless_relay::config::{ClientSecret, RelayConfig};
use passwordless_relay::{app, Relay};
use tokio::net::TcpListener;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The relay that holds client_secret and forwards the allowed Auth0 Authentication API calls.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Relay to an Auth0 tenant (production).
    Serve(ServeArgs),
    /// Run the local tenant in this process and serve the demo page (development).
    #[cfg(feature = "dev")]
    Dev(DevArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "PASSWORDLESS_RELAY_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    listen: String,
    /// Base URL of the identity provider, e.g. https://YOUR_TENANT.auth0.com
    #[arg(long, env = "PASSWORDLESS_UPSTREAM")]
    upstream: String,
    /// The application's client_id.
    #[arg(long, env = "PASSWORDLESS_CLIENT_ID")]
    client_id: String,
    /// A file holding the application's client_secret (else PASSWORDLESS_CLIENT_SECRET).
    #[arg(long, env = "PASSWORDLESS_CLIENT_SECRET_FILE")]
    client_secret_file: Option<PathBuf>,
    /// An origin allowed to call the relay from a browser; may be repeated.
    #[arg(
        long = "allowed-origin",
        env = "PASSWORDLESS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
}

#[cfg(feature = "dev")]
#[derive(Args)]
struct DevArgs {
    /// Address of the relay and the demo page.
    #[arg(
        long,
        env = "PASSWORDLESS_RELAY_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    listen: String,
    /// Address of the local tenant.
    #[arg(
        long,
        env = "PASSWORDLESS_TENANT_LISTEN",
        default_value = "127.0.0.1:8081"
    )]
    tenant_listen: String,
    /// The demo page's folder.
    #[arg(long, default_value = "www")]
    www: PathBuf,
    /// The built SDK package, served at /pkg.
    #[arg(long, default_value = "pkg")]
    pkg: PathBuf,
    /// An extra origin allowed by CORS (`*` for any, tests only); may be repeated.
    #[arg(
        long = "allowed-origin",
        env = "PASSWORDLESS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Secret shared by the in-process tenant's demo client and the relay (random when absent).
    #[arg(long, env = "PASSWORDLESS_DEMO_CLIENT_SECRET", hide_env_values = true)]
    demo_client_secret: Option<String>,
    /// Folder of the local tenant's SQLite database.
    #[arg(
        long,
        env = "PASSWORDLESS_TENANT_DATA_DIR",
        default_value = ".data/tenant"
    )]
    data_dir: PathBuf,
    /// Keep the local tenant's state in memory instead (lost at exit).
    #[arg(long)]
    in_memory: bool,
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        #[cfg(feature = "dev")]
        Command::Dev(args) => dev(args).await,
    }
}

async fn serve(args: ServeArgs) -> Result<(), BoxError> {
    let secret = match &args.client_secret_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the client secret file {}: {e}", path.display()))?
            .trim()
            .to_owned(),
        None => std::env::var("PASSWORDLESS_CLIENT_SECRET").map_err(|_| {
            "set PASSWORDLESS_CLIENT_SECRET or --client-secret-file to the application's client_secret"
        })?,
    };
    let mut config = RelayConfig::new(&args.upstream, &args.client_id, ClientSecret::new(secret));
    config.allowed_origins = args.allowed_origins;
    tracing::info!(?config, "relay starting");
    let relay = Relay::new(config)?;
    let listener = TcpListener::bind(&args.listen).await?;
    println!("relay: http://{}/", listener.local_addr()?);
    axum::serve(
        listener,
        app(relay).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(ctrl_c())
    .await?;
    Ok(())
}

#[cfg(feature = "dev")]
async fn dev(args: DevArgs) -> Result<(), BoxError> {
    use passwordless_relay::dev;
    let options = dev::DevOptions {
        relay_listener: TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?,
        tenant_listener: TcpListener::bind(&args.tenant_listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.tenant_listen))?,
        www: args.www,
        pkg: args.pkg,
        extra_origins: args.allowed_origins,
        demo_client_secret: args.demo_client_secret,
        data_dir: (!args.in_memory).then_some(args.data_dir),
    };
    dev::run(options, ctrl_c()).await
}

async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}
