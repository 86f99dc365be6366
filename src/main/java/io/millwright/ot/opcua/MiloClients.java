package io.millwright.ot.opcua;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Makes the Milo client of a connection: discovers the server's endpoints at {@code endpoint},
 * picks the allowed one with the highest security level, points it at {@code endpoint}'s host when
 * {@code override-host} is on, and logs in anonymously or with user name and password.
 */
final class MiloClients {

    private MiloClients() {}

    static OpcUaClient create(OpcUaConnection connection, String password) throws UaException {
        Set<String> allowed = connection.securityPolicies().stream()
                .map(name -> SecurityPolicy.valueOf(name).getUri())
                .collect(Collectors.toSet());
        URI target = URI.create(connection.endpoint());
        IdentityProvider identity = connection.username() == null
                ? AnonymousProvider.INSTANCE
                // Milo's UsernameProvider takes the password as it is: no character is special
                : new UsernameProvider(connection.username(), password);
        return OpcUaClient.create(
                connection.endpoint(),
                endpoints -> select(endpoints, allowed)
                        .map(e -> connection.overrideHost() ? EndpointUtil.updateUrl(e, target.getHost(), target.getPort()) : e),
                transport -> {},
                config -> config.setApplicationName(LocalizedText.english("Millwright " + connection.id()))
                        .setApplicationUri("urn:millwright:hub:opcua:" + connection.id())
                        .setProductUri("urn:millwright")
                        .setIdentityProvider(identity));
    }

    /** The allowed endpoint with the highest security level the server reports. */
    static Optional<EndpointDescription> select(List<EndpointDescription> endpoints, Set<String> allowedPolicyUris) {
        return endpoints.stream()
                .filter(e -> allowedPolicyUris.contains(e.getSecurityPolicyUri()))
                .max(Comparator.comparing(e -> e.getSecurityLevel().intValue()));
    }
}
