package io.millwright.ot.opcua;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * Tells a server that refuses the hub's certificate from any other failed connect, and says what
 * the operator does about it. A server that does not trust a client's application instance
 * certificate refuses OpenSecureChannel; OPC 10000-4 5.5.2 (and 10000-6 6.7.4) has it answer
 * Bad_SecurityChecksFailed rather than the exact reason, so a client cannot tell "untrusted" from
 * other security failures for certain: the detail says "most likely". Seen from node-opcua
 * (Bad_SecurityChecksFailed, "certificate invalid") and Milo servers.
 */
final class HubCertificateRefusal {

    private HubCertificateRefusal() {}

    /**
     * The status of a connect failure that means the server refused the secure channel's
     * certificate (Bad_SecurityChecksFailed or Bad_CertificateUntrusted anywhere in the cause
     * chain), else 0. Only for failures where the hub's own trust list refused nothing.
     */
    static long statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UaException ua) {
                long code = ua.getStatusCode().getValue();
                if (code == StatusCodes.Bad_SecurityChecksFailed || code == StatusCodes.Bad_CertificateUntrusted) {
                    return code;
                }
            }
        }
        return 0;
    }

    /** The health detail: the server, its answer, the hub's certificate to trust there and how. */
    static Map<String, String> details(String endpoint, long statusCode, ClientPki pki) {
        String file = pki.directory().resolve(ClientPki.OWN_CERTIFICATE).toAbsolutePath().normalize().toString();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("server", endpoint);
        details.put("status", MonitoredItemBatches.statusName(new StatusCode(statusCode)));
        details.put("hubCertificate", file);
        details.put("thumbprint", ClientPki.thumbprint(pki.certificate()));
        details.put("applicationUri", pki.applicationUri());
        details.put("trust", "add '" + file + "' to the server's trusted certificates (many servers list it"
                + " among their rejected ones: accept it there); the hub retries every "
                + SubscriptionSession.UNTRUSTED_RETRY_MILLIS / 1000 + " s");
        return details;
    }
}
