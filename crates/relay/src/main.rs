//! `passwordless-relay serve`: the relay, in front of an Auth0 tenant. (The whole product in one
//! process for development is `passwordless-devserver`, in `crates/devserver`.)

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use passwordless_relay::client_ip::Cidr;
use passwordless_relay::config::{ClientSecret, Limits, RelayConfig, Timeouts};
use passwordless_relay::process::{init_logging, shutdown_signal, LogFormat};
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

#[derive(Subcommand)]
enum Command {
    /// Relay to an Auth0 tenant (production).
    Serve(Box<ServeArgs>),
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
    /// /passwordless/start (and /passkey/register, /passkey/challenge) calls per client (IPv4 address or IPv6 /64) per hour.
    #[arg(long, env = "PASSWORDLESS_LIMIT_START_PER_IP", default_value_t = Limits::default().start_per_ip)]
    limit_start_per_ip: u32,
    /// /passwordless/start (and /passkey/register) calls per email or phone number per hour.
    #[arg(long, env = "PASSWORDLESS_LIMIT_START_PER_IDENTIFIER", default_value_t = Limits::default().start_per_identifier)]
    limit_start_per_identifier: u32,
    /// Failed /oauth/token calls per client (IPv4 address or IPv6 /64) per hour.
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

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve(*args).await,
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
