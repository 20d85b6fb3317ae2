//! `passwordless-devserver` (what `npm start` runs): the whole product in one process for local
//! development — the relay, the local tenant, the demo page, the built SDK and the dev inbox.
//! Nothing of it is linked into the relay that is deployed (`passwordless-relay serve`).

mod site;

use std::path::PathBuf;

use clap::Parser;
use passwordless_relay::process::{init_logging, shutdown_signal, LogFormat};
use tokio::net::TcpListener;

use crate::site::DevOptions;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the relay and the local tenant in this process and serves the demo page.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Log format.
    #[arg(long, env = "PASSWORDLESS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
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
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("passwordless-devserver: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), BoxError> {
    let options = DevOptions {
        relay_listener: bind(&cli.listen).await?,
        tenant_listener: bind(&cli.tenant_listen).await?,
        www: cli.www,
        pkg: cli.pkg,
        extra_origins: cli.allowed_origins,
        demo_client_secret: cli.demo_client_secret,
        data_dir: (!cli.in_memory).then_some(cli.data_dir),
    };
    site::run(options, shutdown_signal()).await
}

async fn bind(address: &str) -> Result<TcpListener, BoxError> {
    Ok(TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?)
}
