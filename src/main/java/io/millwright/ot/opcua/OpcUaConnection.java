package io.millwright.ot.opcua;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One OPC UA connection as read from {@code adapters/opcua/<id>.yaml}, placeholders resolved and
 * validated: one Milo client session, one subscription per distinct publishing interval.
 *
 * @param id the file's stem, kebab-case; names the route, the endpoint and the metrics
 * @param file the file it was read from
 * @param enabled false = no route for this file
 * @param endpoint the opc.tcp URL the client discovers at and connects to
 * @param overrideHost replace the host of the endpoint the server advertises with {@code endpoint}'s
 * @param securityPolicies allowed security policies, Milo enum names ({@code None})
 * @param username user name, or null for anonymous
 * @param passwordVariable name of the environment variable holding the password, or null
 * @param handoff the bounded hand-off between Milo's notification thread and the route
 * @param groups the nodes with their subscription settings; the top-level {@code nodes} are the
 *     first group, named {@value NodeGroup#DEFAULT_NAME}
 * @param security the message security mode and the X.509 user identity, beside {@code securityPolicies}
 * @param browse what to discover by browsing, or null: the variables found are subscribed with the
 *     connection's settings beside the listed {@code groups}
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
        HandoffSettings handoff,
        List<NodeGroup> groups,
        SecuritySettings security,
        Browse browse) {

    public OpcUaConnection {
        securityPolicies = List.copyOf(securityPolicies);
        groups = List.copyOf(groups);
    }

    /** A connection with the default security settings: the best mode the server offers, no user certificate. */
    public OpcUaConnection(String id, Path file, boolean enabled, String endpoint, boolean overrideHost,
            List<String> securityPolicies, String username, String passwordVariable, HandoffSettings handoff,
            List<NodeGroup> groups) {
        this(id, file, enabled, endpoint, overrideHost, securityPolicies, username, passwordVariable, handoff, groups,
                SecuritySettings.DEFAULTS);
    }

    /** A connection without browse discovery. */
    public OpcUaConnection(String id, Path file, boolean enabled, String endpoint, boolean overrideHost,
            List<String> securityPolicies, String username, String passwordVariable, HandoffSettings handoff,
            List<NodeGroup> groups, SecuritySettings security) {
        this(id, file, enabled, endpoint, overrideHost, securityPolicies, username, passwordVariable, handoff, groups,
                security, null);
    }

    /**
     * Browse discovery of a connection ({@code browse:} in its file).
     *
     * @param root a node id ({@code nsu=urn:acme;s=Plant1}) or a browse path below the Objects folder
     *     ({@code Plant1}); null = the Objects folder. Browse paths of what is found start with the
     *     root's browse name (or below Objects, for a path root: {@code Plant1/Line1/M1/GoodCount})
     * @param include glob patterns on the browse path, one must match ({@code *} within a name,
     *     {@code **} across names); empty = all variables
     * @param exclude glob patterns on the browse path, none may match
     * @param interval how often to browse again
     * @param settings the subscription settings of the variables found
     * @param dataTypes OPC UA built-in data types a variable must have (its DataType attribute), e.g.
     *                  {@code Double}, {@code UInt32}; empty = any
     */
    public record Browse(String root, List<String> include, List<String> exclude, Duration interval,
            SubscriptionSettings settings, List<String> dataTypes) {

        public Browse {
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
            dataTypes = dataTypes == null ? List.of() : List.copyOf(dataTypes);
        }

        /** Browse settings without a data-type filter. */
        public Browse(String root, List<String> include, List<String> exclude, Duration interval,
                SubscriptionSettings settings) {
            this(root, include, exclude, interval, settings, List.of());
        }
    }

    /** True when a policy other than None is allowed: the client then needs its certificate. */
    public boolean needsCertificate() {
        return securityPolicies.stream().anyMatch(p -> !"None".equals(p)) || security.userCertificate() != null;
    }

    /**
     * How the session is secured beyond the allowed policies.
     *
     * @param mode {@code Sign}, {@code SignAndEncrypt} or {@code None}; null = the most secure the
     *     server offers within the allowed policies
     * @param userCertificate an X.509 user certificate (DER or PEM) to log in with, or null
     * @param userKey its private key (PKCS#8, PEM or DER), with {@code userCertificate}
     */
    public record SecuritySettings(String mode, Path userCertificate, Path userKey) {

        /** Any mode, no user certificate. */
        public static final SecuritySettings DEFAULTS = new SecuritySettings(null, null, null);
    }

    /** Every node of every group, in file order. */
    public List<OpcUaNode> nodes() {
        List<OpcUaNode> nodes = new ArrayList<>();
        for (NodeGroup group : groups) {
            nodes.addAll(group.nodes());
        }
        return nodes;
    }

    /** The URI of the consumer for this connection, {@code opcua-subscription:<id>}. */
    public String endpointUri() {
        return OpcUaSubscriptionComponent.SCHEME + ":" + id;
    }

    /**
     * One node to subscribe.
     *
     * @param nodeId the node id exactly as written, e.g. {@code nsu=urn:millwright:sim:plant;s=Line1.Machine1.State};
     *     it travels unchanged in every {@link io.millwright.model.SourceReading}
     * @param name a kebab-case label for logs, from the file's {@code name} or derived from the identifier
     */
    public record OpcUaNode(String nodeId, String name) {}

    /**
     * Nodes that share subscription settings.
     *
     * @param name {@value #DEFAULT_NAME} for the top-level nodes, else the group's {@code name}
     * @param settings the connection's settings with the group's overrides applied
     * @param nodes the group's nodes, in file order
     */
    public record NodeGroup(String name, SubscriptionSettings settings, List<OpcUaNode> nodes) {

        /** The name of the group the top-level {@code nodes} form. */
        public static final String DEFAULT_NAME = "default";

        public NodeGroup {
            nodes = List.copyOf(nodes);
        }
    }
}
