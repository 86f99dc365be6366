package io.millwright.ot.opcua;

import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Makes the Milo client of a connection: discovers the server's endpoints at {@code endpoint},
 * picks the allowed one (policy in {@code security}, mode {@code security-mode} when set) with the
 * highest security level, points it at {@code endpoint}'s host when {@code override-host} is on,
 * presents the hub's certificate and checks the server's against the trust list ({@link ClientPki}),
 * and logs in anonymously, with user name and password, or with an X.509 user certificate.
 */
final class MiloClients {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MiloClients.class);

    private MiloClients() {}

    /**
     * @param pki the hub's certificate and trust list; null only for connections that allow None alone
     * @param quarantine where a refused server certificate goes (the connection's view of {@code rejected/})
     * @param selected told which endpoint was chosen
     */
    static OpcUaClient create(OpcUaConnection connection, String password, ClientPki pki,
            CertificateQuarantine quarantine, Consumer<EndpointDescription> selected) throws UaException {
        Set<String> allowed = connection.securityPolicies().stream()
                .map(name -> SecurityPolicy.valueOf(name).getUri())
                .collect(Collectors.toSet());
        MessageSecurityMode mode = connection.security().mode() == null
                ? null : MessageSecurityMode.valueOf(connection.security().mode());
        if (connection.needsCertificate() && pki == null) {
            throw new UaException(StatusCodes.Bad_ConfigurationError, connection.id()
                    + ": security policies other than None need the hub's client certificate (no PKI configured)");
        }
        URI target = URI.create(connection.endpoint());
        IdentityProvider identity = identity(connection, password);
        return OpcUaClient.create(
                connection.endpoint(),
                endpoints -> {
                    Optional<EndpointDescription> chosen = select(endpoints, allowed, mode)
                            .map(e -> connection.overrideHost() ? EndpointUtil.updateUrl(e, target.getHost(), target.getPort()) : e);
                    chosen.ifPresentOrElse(selected, () -> log.warn(
                            "OPC UA server offers no endpoint the connection file allows connection={} file={} allowed={}{}"
                                    + " offered={}; add one of the offered policies to 'security' (and 'security-mode')",
                            connection.id(), connection.file(), connection.securityPolicies(),
                            mode == null ? "" : " mode=" + mode, offered(endpoints)));
                    return chosen;
                },
                transport -> {},
                config -> {
                    config.setApplicationName(LocalizedText.english("Millwright " + connection.id()))
                            .setProductUri("urn:millwright")
                            .setIdentityProvider(identity);
                    if (pki == null) {
                        config.setApplicationUri("urn:millwright:hub:opcua:" + connection.id());
                    } else {
                        config.setApplicationUri(pki.applicationUri())
                                .setKeyPair(pki.keyPair())
                                .setCertificate(pki.certificate())
                                .setCertificateChain(new X509Certificate[] {pki.certificate()})
                                .setCertificateValidator(new DefaultClientCertificateValidator(pki.trustList(), quarantine));
                    }
                });
    }

    private static IdentityProvider identity(OpcUaConnection connection, String password) throws UaException {
        Path certificateFile = connection.security().userCertificate();
        if (certificateFile != null) {
            try {
                X509Certificate certificate = ClientPki.readCertificate(certificateFile);
                PrivateKey key = ClientPki.readPrivateKey(connection.security().userKey());
                return new X509IdentityProvider(certificate, key);
            } catch (Exception e) {
                throw new UaException(StatusCodes.Bad_ConfigurationError,
                        connection.id() + ": user certificate unusable: " + e.getMessage());
            }
        }
        // Milo's UsernameProvider takes the password as it is: no character is special
        return connection.username() == null ? AnonymousProvider.INSTANCE : new UsernameProvider(connection.username(), password);
    }

    /** What a server offers, as a connection file names it: {@code [Basic256Sha256/SignAndEncrypt, None/None]}. */
    static List<String> offered(List<EndpointDescription> endpoints) {
        return endpoints.stream()
                .map(e -> {
                    String uri = e.getSecurityPolicyUri();
                    String policy = uri == null ? "?" : uri.substring(uri.lastIndexOf('#') + 1);
                    return policy + "/" + e.getSecurityMode();
                })
                .distinct()
                .toList();
    }

    /** The allowed endpoint (policy, and mode when given) with the highest security level the server reports. */
    static Optional<EndpointDescription> select(
            List<EndpointDescription> endpoints, Set<String> allowedPolicyUris, MessageSecurityMode mode) {
        return endpoints.stream()
                .filter(e -> allowedPolicyUris.contains(e.getSecurityPolicyUri()))
                .filter(e -> mode == null || e.getSecurityMode() == mode)
                .max(Comparator.comparing(e -> e.getSecurityLevel().intValue()));
    }

    /** The allowed endpoint with the highest security level, any mode. */
    static Optional<EndpointDescription> select(List<EndpointDescription> endpoints, Set<String> allowedPolicyUris) {
        return select(endpoints, allowedPolicyUris, null);
    }
}
