//! `passwordless-tenant`: serve a local Auth0-compatible tenant.

use clap::Parser;
use passwordless_tenant::{demo_tenant, random_secret, router};
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
    /// Public base URL of the tenant (the issuer, without the trailing slash).
    /// Defaults to http://LISTEN.
    #[arg(long, env = "PASSWORDLESS_TENANT_ISSUER")]
    issuer: Option<String>,
    /// Secret of the built-in demo client; a random one is made (and printed) when absent.
    #[arg(long, env = "PASSWORDLESS_DEMO_CLIENT_SECRET", hide_env_values = true)]
    demo_client_secret: Option<String>,
    /// Origin of the demo application (its callback is ORIGIN/); may be repeated.
    #[arg(long = "demo-origin", env = "PASSWORDLESS_DEMO_ORIGINS", value_delimiter = ',',
          default_values_t = ["http://127.0.0.1:8080".to_owned(), "http://localhost:8080".to_owned()])]
    demo_origins: Vec<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let listener = TcpListener::bind(&args.listen).await?;
    let address = listener.local_addr()?;
    let issuer = args.issuer.unwrap_or_else(|| format!("http://{address}"));
    let secret_was_given = args.demo_client_secret.is_some();
    let secret = args.demo_client_secret.unwrap_or_else(random_secret);
    let tenant = demo_tenant(&issuer, secret.clone(), args.demo_origins)?;
    println!("local tenant: {issuer}/ (demo client: demo-client)");
    if !secret_was_given {
        // Only this dev tool ever prints a secret: the demo client's, made up just now.
        println!("demo client secret (random, this run only): {secret}");
    }
    axum::serve(listener, router(tenant))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
