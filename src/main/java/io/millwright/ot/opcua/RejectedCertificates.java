package io.millwright.ot.opcua;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;

/**
 * One connection's view of {@code pki/rejected/}: Milo's validator puts a refused server
 * certificate here; it is written to the shared folder and remembered, so the session can tell an
 * untrusted server from any other failed connect and say which certificate to trust.
 */
final class RejectedCertificates implements CertificateQuarantine {

    private final ClientPki pki;
    private final AtomicReference<X509Certificate> last = new AtomicReference<>();

    RejectedCertificates(ClientPki pki) {
        this.pki = pki;
    }

    @Override
    public List<X509Certificate> getRejectedCertificates() {
        return pki.rejectedStore().getRejectedCertificates();
    }

    @Override
    public void addRejectedCertificate(X509Certificate certificate) {
        // Milo passes the whole chain; the first one refused is the server's own
        last.compareAndSet(null, certificate);
        pki.rejectedStore().addRejectedCertificate(certificate);
    }

    @Override
    public void removeRejectedCertificate(X509Certificate certificate) {
        pki.rejectedStore().removeRejectedCertificate(certificate);
    }

    /** The certificate refused since the last call, or null; clears it. */
    X509Certificate takeLast() {
        return last.getAndSet(null);
    }
}
