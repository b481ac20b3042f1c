//! TLS for registries whose certificates the user names (`--ca-cert`, certs.d): a named
//! certificate is trusted as a CA, and also as it is when the server presents exactly it.
//!
//! The second case is the self-signed certificate Docker's documentation makes (`openssl req
//! -x509 … -addext subjectAltName=…`), which carries `CA:TRUE`: webpki refuses a CA as an end
//! entity (`CaUsedAsEndEntity`), while curl, skopeo and Docker accept it. The host name is
//! still checked against the certificate, and the handshake still proves the server holds its
//! key. ureq has no hook for a verifier, so this is a connector in its chain that wraps the
//! TCP stream in rustls before ureq's own TLS connector would.

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

/// Trusts the named certificates as roots, and each as itself.
#[derive(Debug)]
struct PinnedVerifier {
    roots: Option<Arc<WebPkiServerVerifier>>,
    pinned: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chained = match &self.roots {
            Some(v) => {
                v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Err(rustls::Error::General("no CA certificate given".into())),
        };
        match chained {
            Ok(v) => Ok(v),
            Err(e)
                if self
                    .pinned
                    .iter()
                    .any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                // The very certificate the user named: its name must still match.
                let parsed = ParsedCertificate::try_from(end_entity).map_err(|_| e)?;
                verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A connector that speaks TLS with the [`PinnedVerifier`] to one host; connections to other
/// hosts (a blob redirected to object storage) go on to ureq's TLS and the system store, as
/// Docker applies `certs.d/HOST` to that host only.
#[derive(Debug)]
pub(crate) struct PinnedTls {
    config: Arc<ClientConfig>,
    host: String,
}

impl PinnedTls {
    /// A connector trusting `certs` (DER) for `host` (without port or brackets).
    ///
    /// # Errors
    /// When rustls refuses the configuration.
    pub(crate) fn new(
        host: &str,
        certs: Vec<CertificateDer<'static>>,
    ) -> Result<PinnedTls, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut store = rustls::RootCertStore::empty();
        for c in &certs {
            // A certificate that cannot be a root (a leaf) is still pinned as itself.
            let _ = store.add(c.clone());
        }
        let roots = if store.is_empty() {
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
                    .build()
                    .map_err(|e| rustls::Error::General(e.to_string()))?,
            )
        };
        let verifier = PinnedVerifier {
            roots,
            pinned: certs,
            provider: provider.clone(),
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(PinnedTls {
            config: Arc::new(config),
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
        })
    }
}

impl<In: Transport> Connector<In> for PinnedTls {
    type Out = Either<In, PinnedTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        let host = details
            .uri
            .host()
            .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string());
        if !details.needs_tls() || transport.is_tls() || host.as_deref() != Some(&self.host) {
            return Ok(Some(Either::A(transport)));
        }
        let host = self.host.clone();
        let name =
            ServerName::try_from(host).map_err(|_| ureq::Error::Tls("invalid TLS server name"))?;
        let mut conn = ClientConnection::new(self.config.clone(), name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        conn.complete_io(&mut sock)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(PinnedTransport {
            buffers,
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// An HTTP transport over the pinned TLS stream.
pub(crate) struct PinnedTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter<Box<dyn Transport>>>,
}

impl std::fmt::Debug for PinnedTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinnedTransport")
    }
}

impl Transport for PinnedTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
