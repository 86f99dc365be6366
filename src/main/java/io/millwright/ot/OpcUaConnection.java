package io.millwright.ot;

import java.nio.file.Path;
import java.util.List;

/**
 * One OPC UA connection as read from {@code adapters/opcua/<id>.yaml}, placeholders resolved and
 * validated.
 *
 * @param id the file's stem, kebab-case; names the routes and the shared Milo connection
 * @param file the file it was read from
 * @param enabled false = no routes for this file
 * @param endpoint the opc.tcp URL the client connects and discovers at
 * @param overrideHost replace the host of the endpoint the server advertises with {@code endpoint}'s
 * @param securityPolicies allowed security policies, Milo enum names ({@code None})
 * @param username user name, or null for anonymous
 * @param passwordVariable name of the environment variable holding the password, or null
 * @param nodes the nodes to subscribe, in file order
 */
public record OpcUaConnection(
        String id,
        Path file,
        boolean enabled,
        String endpoint,
        boolean overrideHost,
        List<String> securityPolicies,
        String username,
        String passwordVariable,
        List<OpcUaNode> nodes) {

    public OpcUaConnection {
        securityPolicies = List.copyOf(securityPolicies);
        nodes = List.copyOf(nodes);
    }

    /**
     * One node to subscribe.
     *
     * @param nodeId the node id exactly as written, e.g. {@code nsu=urn:millwright:sim:plant;s=Line1.Machine1.State}
     * @param name kebab-case suffix of the route id, e.g. {@code line1-machine1-state}
     */
    public record OpcUaNode(String nodeId, String name) {}
}
