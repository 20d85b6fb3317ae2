//! `passwordless-relay`: serve the relay (`serve`), or the whole product locally (`dev`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use passwordless_relay::client_ip::Cidr;
use passwordless_relay::config::{ClientSecret, Limits, RelayConfig, Timeouts};
use passwordless_relay::{app, Relay};
use tokio::net::TcpListener;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The relay that holds client_secret and forwards the allowed Auth0 Authentication API calls.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Log format.
    #[arg(long, env = "PASSWORDLESS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Relay to an Auth0 tenant (production).
    Serve(Box<ServeArgs>),
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
    /// Base URL of the identity provider, e.g. https://YOUR_TENANT.auth0.com (http:// only on loopback).
    #[arg(long, env = "PASSWORDLESS_UPSTREAM")]
    upstream: String,
    /// The application's client_id.
    #[arg(long, env = "PASSWORDLESS_CLIENT_ID")]
    client_id: String,
    /// A file holding the application's client_secret (else PASSWORDLESS_CLIENT_SECRET).
    #[arg(long, env = "PASSWORDLESS_CLIENT_SECRET_FILE")]
    client_secret_file: Option<PathBuf>,
    /// An origin allowed to call the relay from a browser (comma-separated or repeated).
    #[arg(
        long = "allowed-origin",
        env = "PASSWORDLESS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// A URL magic links may return to (exact match; comma-separated or repeated).
    #[arg(
        long = "callback",
        env = "PASSWORDLESS_CALLBACKS",
        value_delimiter = ','
    )]
    callbacks: Vec<String>,
    /// Passwordless connections to allow.
    #[arg(long = "connection", env = "PASSWORDLESS_CONNECTIONS", value_delimiter = ',', default_values_t = ["email".to_owned(), "sms".to_owned()])]
    connections: Vec<String>,
    /// A proxy (CIDR) whose X-Forwarded-For / Forwarded headers are believed.
    #[arg(
        long = "trusted-proxy",
        env = "PASSWORDLESS_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<Cidr>,
    /// A country calling code SMS may go to (e.g. 1, 44); none means all.
    #[arg(
        long = "sms-country-code",
        env = "PASSWORDLESS_SMS_COUNTRY_CODES",
        value_delimiter = ','
    )]
    sms_country_codes: Vec<String>,
    /// /passwordless/start calls per client IP per hour.
    #[arg(long, env = "PASSWORDLESS_LIMIT_START_PER_IP", default_value_t = Limits::default().start_per_ip)]
    limit_start_per_ip: u32,
    /// /passwordless/start calls per email or phone number per hour.
    #[arg(long, env = "PASSWORDLESS_LIMIT_START_PER_IDENTIFIER", default_value_t = Limits::default().start_per_identifier)]
    limit_start_per_identifier: u32,
    /// Failed /oauth/token calls per client IP per hour.
    #[arg(long, env = "PASSWORDLESS_LIMIT_FAILED_TOKEN_PER_IP", default_value_t = Limits::default().failed_token_per_ip)]
    limit_failed_token_per_ip: u32,
    /// Redis URL shared by replicas for the rate limits (e.g. redis://127.0.0.1:6379).
    #[arg(long, env = "PASSWORDLESS_REDIS_URL")]
    redis_url: Option<String>,
    /// A PEM file of extra root certificates for the upstream (a private CA).
    #[arg(long, env = "PASSWORDLESS_UPSTREAM_CA_FILE")]
    upstream_ca_file: Option<PathBuf>,
    /// Seconds a whole request may take.
    #[arg(long, env = "PASSWORDLESS_TIMEOUT_REQUEST_SECS", default_value_t = 30)]
    timeout_request_secs: u64,
    /// Seconds to connect to the upstream.
    #[arg(
        long,
        env = "PASSWORDLESS_TIMEOUT_UPSTREAM_CONNECT_SECS",
        default_value_t = 5
    )]
    timeout_upstream_connect_secs: u64,
    /// Seconds to wait for the upstream's answer.
    #[arg(long, env = "PASSWORDLESS_TIMEOUT_UPSTREAM_SECS", default_value_t = 15)]
    timeout_upstream_secs: u64,
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
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_env_filter(filter)
            .init(),
    }
    let result = match cli.command {
        Command::Serve(args) => serve(*args).await,
        #[cfg(feature = "dev")]
        Command::Dev(args) => dev(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("passwordless-relay: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn config_from(args: ServeArgs) -> Result<(RelayConfig, String), BoxError> {
    let secret = match &args.client_secret_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the client secret file {}: {e}", path.display()))?
            .trim()
            .to_owned(),
        None => std::env::var("PASSWORDLESS_CLIENT_SECRET").map_err(|_| {
            "set PASSWORDLESS_CLIENT_SECRET or --client-secret-file to the application's client_secret"
        })?,
    };
    if secret.is_empty() {
        return Err("the client secret is empty".into());
    }
    let mut config = RelayConfig::new(&args.upstream, &args.client_id, ClientSecret::new(secret));
    config.allowed_origins = args.allowed_origins;
    config.callbacks = args.callbacks;
    config.connections = args.connections;
    config.trusted_proxies = args.trusted_proxies;
    config.sms_country_codes = args.sms_country_codes;
    config.limits = Limits {
        start_per_ip: args.limit_start_per_ip,
        start_per_identifier: args.limit_start_per_identifier,
        failed_token_per_ip: args.limit_failed_token_per_ip,
    };
    config.timeouts = Timeouts {
        request: Duration::from_secs(args.timeout_request_secs),
        upstream_connect: Duration::from_secs(args.timeout_upstream_connect_secs),
        upstream_response: Duration::from_secs(args.timeout_upstream_secs),
    };
    config.redis_url = args.redis_url;
    if let Some(path) = &args.upstream_ca_file {
        config.upstream_ca_pem = Some(
            std::fs::read(path)
                .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?,
        );
    }
    config.check()?;
    Ok((config, args.listen))
}

async fn serve(args: ServeArgs) -> Result<(), BoxError> {
    let (config, listen) = config_from(args)?;
    tracing::info!(?config, "relay starting");
    let relay = Relay::new(config).await?;
    let listener = TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    println!("relay: http://{}/", listener.local_addr()?);
    axum::serve(
        listener,
        app(relay).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("relay stopped");
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
    dev::run(options, shutdown_signal()).await
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
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
