//! The real servers as separate processes on loopback ports: `passwordless-tenant` with a TOML
//! config of the suite's client, and `passwordless-relay serve` in front of it. Each process
//! logs to a file (the suite searches the logs for the secret) and is stopped when dropped.
//!
//! The binaries come from `SECURITY_SUITE_BIN_DIR`, else `$CARGO_TARGET_DIR/debug`, else the
//! workspace's `target/debug` (scripts/test-security.sh builds them first).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The suite's client of the tenant, the one the relay speaks for.
pub const CLIENT_ID: &str = "suite-client";
/// Its secret: known to the tests so that they can prove it never reaches a browser.
pub const SECRET: &str = "suite-secret-7d41c09be2f35a68";
/// The page origin the relay and the tenant allow, and its magic-link callback.
pub const ORIGIN: &str = "http://127.0.0.1:9000";
pub const CALLBACK: &str = "http://127.0.0.1:9000/";

/// Where the server binaries are.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SECURITY_SUITE_BIN_DIR") {
        return dir.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("debug")
}

fn binary(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build -p passwordless-relay -p passwordless-tenant` \
         (scripts/test-security.sh does)",
        path.display()
    );
    path
}

/// A free loopback port (bound, read and released: a server started at once gets it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One running server process.
pub struct Server {
    child: Child,
    pub url: String,
    pub port: u16,
    pub log: PathBuf,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The resident set size of the process, in KiB (`VmRSS` of /proc/PID/status).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server process is alive");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// Everything the process has logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then waits for the exit (both servers stop gracefully on it).
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Drop kills what did not stop in five seconds.
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `program` with `args`, logging to `log`, and waits until `ready` answers.
async fn spawn(
    program: &Path,
    args: &[String],
    envs: &[(&str, &str)],
    log: PathBuf,
    port: u16,
    ready: &str,
) -> Server {
    let file = std::fs::File::create(&log).expect("a log file");
    let child = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(file.try_clone().expect("a log file"))
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let mut server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        port,
        log,
    };
    let probe = format!("{}{ready}", server.url);
    for _ in 0..400 {
        if reqwest::get(&probe)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        assert!(
            server.is_running(),
            "{} exited: {}",
            program.display(),
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{} did not answer {probe}", program.display());
}

/// How to start the tenant.
pub struct TenantOptions<'a> {
    /// Its state folder (SQLite); `None` keeps everything in memory.
    pub data_dir: Option<&'a Path>,
    /// A port to reuse (a restart); `None` takes a free one.
    pub port: Option<u16>,
    /// `/passwordless/start` calls per IP per hour (the contract's 50, or far more for load).
    pub start_per_hour: u32,
    pub rust_log: &'a str,
}

impl Default for TenantOptions<'_> {
    fn default() -> Self {
        Self {
            data_dir: None,
            port: None,
            start_per_hour: 1_000_000_000,
            rust_log: "warn",
        }
    }
}

/// Starts `passwordless-tenant` with the suite's client; its files go to `work`.
pub async fn tenant(work: &Path, options: TenantOptions<'_>) -> Server {
    let port = options.port.unwrap_or_else(free_port);
    let config = work.join("tenant.toml");
    std::fs::write(
        &config,
        format!(
            "[rate_limit]\nstart_per_hour = {}\n\n[[clients]]\nclient_id = \"{CLIENT_ID}\"\n\
             client_secret = \"{SECRET}\"\ncallbacks = [\"{CALLBACK}\"]\n\
             allowed_origins = [\"{ORIGIN}\"]\ntrust_forwarded_for = true\n",
            options.start_per_hour
        ),
    )
    .expect("the tenant's config file");
    let mut args = vec![
        "--listen".to_owned(),
        format!("127.0.0.1:{port}"),
        "--config".to_owned(),
        config.display().to_string(),
    ];
    match options.data_dir {
        Some(dir) => args.extend(["--data-dir".to_owned(), dir.display().to_string()]),
        None => args.push("--in-memory".to_owned()),
    }
    let log = work.join(format!("tenant-{port}.log"));
    spawn(
        &binary("passwordless-tenant"),
        &args,
        &[("RUST_LOG", options.rust_log)],
        log,
        port,
        "/.well-known/openid-configuration",
    )
    .await
}

/// How to start the relay.
pub struct RelayOptions<'a> {
    pub port: Option<u16>,
    /// The relay's own limits far out of reach (load), or its defaults.
    pub unlimited: bool,
    pub rust_log: &'a str,
    /// Seconds to wait for the upstream's answer.
    pub upstream_timeout_secs: u64,
    /// A proxy (CIDR) whose forwarding headers the relay believes; none by default.
    pub trusted_proxy: Option<&'a str>,
}

impl Default for RelayOptions<'_> {
    fn default() -> Self {
        Self {
            port: None,
            unlimited: true,
            rust_log: "warn",
            upstream_timeout_secs: 15,
            trusted_proxy: None,
        }
    }
}

/// Starts `passwordless-relay serve` in front of `upstream`; its log goes to `work`.
pub async fn relay(work: &Path, upstream: &str, options: RelayOptions<'_>) -> Server {
    let port = options.port.unwrap_or_else(free_port);
    let mut args: Vec<String> = [
        "serve",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--upstream",
        upstream,
        "--client-id",
        CLIENT_ID,
        "--allowed-origin",
        ORIGIN,
        "--callback",
        CALLBACK,
        "--timeout-upstream-secs",
        &options.upstream_timeout_secs.to_string(),
    ]
    .map(str::to_owned)
    .to_vec();
    if let Some(cidr) = options.trusted_proxy {
        args.extend(["--trusted-proxy".to_owned(), cidr.to_owned()]);
    }
    if options.unlimited {
        for limit in [
            "--limit-start-per-ip",
            "--limit-start-per-identifier",
            "--limit-failed-token-per-ip",
        ] {
            args.extend([limit.to_owned(), "1000000000".to_owned()]);
        }
    }
    let log = work.join(format!("relay-{port}.log"));
    spawn(
        &binary("passwordless-relay"),
        &args,
        &[
            ("RUST_LOG", options.rust_log),
            ("PASSWORDLESS_CLIENT_SECRET", SECRET),
        ],
        log,
        port,
        "/healthz",
    )
    .await
}

/// A temporary folder for one test's config, logs and state.
pub fn workdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("security-suite-")
        .tempdir()
        .expect("a temporary folder")
}
