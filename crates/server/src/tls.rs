//! HTTPS (and WSS for `/sync`) served by the server itself, with rustls
//! (`--tls-cert PEM --tls-key PEM`), for a deployment without a reverse
//! proxy.
//!
//! * [`load_config`] reads the certificate chain and the private key (PEM:
//!   PKCS#8, PKCS#1 or SEC1 keys) once at start; a missing or unreadable
//!   file, a file without a certificate or key, or a key that does not
//!   belong to the certificate is a [`TlsError`] before anything is served.
//!   TLS 1.2 and 1.3 with rustls' safe defaults, the *ring* provider
//!   ([`crypto_provider`]). ALPN
//!   offers only `http/1.1`, so browsers open `/sync` as an ordinary
//!   WebSocket upgrade, exactly as over plain HTTP.
//! * [`TlsListener`] is an [`axum::serve::Listener`]: a task accepts TCP
//!   connections and runs each TLS handshake in its own task (at most
//!   [`MAX_HANDSHAKES`] at once, each bounded by [`HANDSHAKE_TIMEOUT`]), so
//!   a client that never finishes its handshake holds up nobody else. Failed
//!   handshakes (including plain HTTP sent to the TLS port) are logged at
//!   debug level and closed.
//!
//! The certificate is not reloaded while running: restart the server after
//! renewing it.

use std::{io, net::SocketAddr, path::Path, path::PathBuf, sync::Arc, time::Duration};

use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject as _};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Semaphore, mpsc},
    task::JoinHandle,
};
use tokio_rustls::{
    TlsAcceptor,
    rustls::{self, ServerConfig},
    server::TlsStream,
};

/// TLS handshakes in progress at once; further connections wait to be
/// accepted.
pub const MAX_HANDSHAKES: usize = 256;

/// How long a client may take for its TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the TLS configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Only one of `--tls-cert` and `--tls-key` was given.
    #[error("--tls-cert and --tls-key must be given together (or neither, for plain HTTP)")]
    Incomplete,
    /// The file could not be read.
    #[error("cannot read TLS {what} {path}: {source}")]
    Read {
        /// `certificate` or `private key`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The file is not valid PEM or holds nothing of the expected kind.
    #[error("TLS {what} {path}: {message}")]
    Pem {
        /// `certificate` or `private key`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// rustls refused the pair (e.g. the key does not match the
    /// certificate).
    #[error("TLS certificate {cert} with key {key}: {source}")]
    Config {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// rustls' reason.
        source: rustls::Error,
    },
}

/// The rustls crypto provider: *ring* (builds with a C compiler only; no
/// cmake or nasm as aws-lc-rs needs).
///
/// rustls 0.23.48 deprecated it because *ring* has no post-quantum key
/// exchange: sessions use classical X25519 / ECDHE, which a future quantum
/// computer could break from a recording. Switching to aws-lc-rs (rustls'
/// default) would add the hybrid X25519MLKEM768; see SECURITY.md.
#[allow(deprecated)]
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls server configuration for the certificate chain in `cert` and
/// the private key in `key` (both PEM).
pub fn load_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let read = |what: &'static str, path: &Path| {
        std::fs::read(path).map_err(|source| TlsError::Read {
            what,
            path: path.to_owned(),
            source,
        })
    };
    let pem_error = |what: &'static str, path: &Path, message: String| TlsError::Pem {
        what,
        path: path.to_owned(),
        message,
    };
    let cert_pem = read("certificate", cert)?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error("certificate", cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(pem_error(
            "certificate",
            cert,
            "no CERTIFICATE block found".to_owned(),
        ));
    }
    let key_pem = read("private key", key)?;
    let private_key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        let message = match e {
            rustls_pki_types::pem::Error::NoItemsFound => {
                "no PRIVATE KEY block found (PKCS#8, RSA or EC)".to_owned()
            }
            e => e.to_string(),
        };
        pem_error("private key", key, message)
    })?;
    let config_error = |source| TlsError::Config {
        cert: cert.to_owned(),
        key: key.to_owned(),
        source,
    };
    let mut config = ServerConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(config_error)?
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .map_err(config_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A TCP listener that hands out connections after their TLS handshake.
/// Dropping it stops accepting.
#[derive(Debug)]
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local_addr: SocketAddr,
    acceptor: JoinHandle<()>,
}

impl TlsListener {
    /// Serve TLS with `config` on `listener` (call inside a tokio runtime).
    pub fn new(listener: TcpListener, config: Arc<ServerConfig>) -> io::Result<Self> {
        let local_addr = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let acceptor = tokio::spawn(accept_loop(listener, TlsAcceptor::from(config), tx));
        Ok(Self {
            ready,
            local_addr,
            acceptor,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accepting task is gone (it only ends when we are dropped).
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local_addr)
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    ready: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let Ok(permit) = Arc::clone(&handshakes).acquire_owned().await else {
            return;
        };
        let (tcp, peer) = match listener.accept().await {
            Ok(conn) => conn,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                // Out of file descriptors and the like: wait, as axum does.
                tracing::error!(%err, "accept failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if ready.is_closed() {
            return;
        }
        let acceptor = acceptor.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => {
                    let _ = ready.send((tls, peer)).await;
                }
                Ok(Err(err)) => tracing::debug!(%peer, %err, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        });
    }
}

fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let pair = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let cert = write(dir.path(), "cert.pem", &pair.cert.pem());
        let key = write(dir.path(), "key.pem", &pair.signing_key.serialize_pem());
        let other_key = write(dir.path(), "other.pem", &other.signing_key.serialize_pem());
        let garbage = write(dir.path(), "garbage.pem", "not a PEM file\n");
        let missing = dir.path().join("missing.pem");

        assert!(load_config(&cert, &key).is_ok());
        let err = load_config(&missing, &key).unwrap_err();
        assert!(
            matches!(
                err,
                TlsError::Read {
                    what: "certificate",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("missing.pem"), "{err}");
        let err = load_config(&cert, &missing).unwrap_err();
        assert!(
            matches!(
                err,
                TlsError::Read {
                    what: "private key",
                    ..
                }
            ),
            "{err}"
        );
        let err = load_config(&garbage, &key).unwrap_err();
        assert!(err.to_string().contains("no CERTIFICATE"), "{err}");
        let err = load_config(&cert, &garbage).unwrap_err();
        assert!(err.to_string().contains("no PRIVATE KEY"), "{err}");
        // A key file holding a certificate, not a key.
        let err = load_config(&cert, &cert).unwrap_err();
        assert!(matches!(err, TlsError::Pem { .. }), "{err}");
        // Another key than the certificate's.
        let err = load_config(&cert, &other_key).unwrap_err();
        assert!(matches!(err, TlsError::Config { .. }), "{err}");
    }
}
