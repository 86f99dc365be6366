package io.millwright.connectors;

import io.millwright.model.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One connector file ({@code mappings/connectors/<name>.yaml}), checked and with its placeholders
 * resolved.
 *
 * @param name     the file's name without {@code .yaml}; route ids and metrics carry it
 * @param file     where it was read from, for messages
 * @param system   the enterprise system it feeds (SCM, CRM, PLM, or another label)
 * @param outcome  the business outcome the flow serves (throughput, quality, cost, safety, predictability)
 * @param enabled  whether its routes run
 * @param on       the canonical event types it takes (their Kafka topics)
 * @param when     optional JSONata condition over the event; the event is skipped when it is not true
 * @param mapping  the JSONata file that turns the event into the request body
 * @param lookups  JSONata variables (without {@code $}) bound to YAML or JSON files, e.g. {@code orders}
 * @param request  where and how to send
 * @param auth     how to authenticate
 * @param retry    how transient failures are retried before the event is dead-lettered
 */
record ConnectorDefinition(
        String name, Path file, String system, String outcome, boolean enabled, List<EventType> on, String when,
        Path mapping, Map<String, Path> lookups, Request request, Auth auth, Retry retry) {

    /** Route id of the Kafka consumer. */
    String consumeRouteId() {
        return "connector-" + name + "-consume";
    }

    /** Route id of the mapping and delivery; also where a dead letter is resubmitted. */
    String deliverRouteId() {
        return "connector-" + name + "-deliver";
    }

    String deliverEndpoint() {
        return "direct:" + deliverRouteId();
    }

    String consumerGroup() {
        return "millwright-connector-" + name;
    }

    /**
     * @param method  POST, PUT or PATCH
     * @param url     http or https URL
     * @param headers extra request headers (no credentials; those go in {@link Auth})
     */
    record Request(String method, String url, Map<String, String> headers) {}

    /**
     * @param type         none, basic, api-key or oauth2-client-credentials
     * @param username     basic
     * @param secret       the password (basic), key (api-key) or client secret (OAuth2), from the environment
     * @param header       api-key: the header carrying the key
     * @param tokenUrl     OAuth2: the token endpoint
     * @param clientId     OAuth2
     * @param scope        OAuth2, optional
     */
    record Auth(String type, String username, String secret, String header, String tokenUrl, String clientId,
            String scope) {

        static final Auth NONE = new Auth("none", null, null, null, null, null, null);

        @Override
        public String toString() {
            return "Auth[type=" + type + ", username=" + username + ", header=" + header + ", tokenUrl=" + tokenUrl
                    + ", clientId=" + clientId + ", scope=" + scope + ", secret=" + (secret == null ? "none" : "****") + "]";
        }
    }

    /**
     * @param attempts   deliveries in all, the first included
     * @param delay      before the first retry
     * @param multiplier of the delay after each retry
     * @param maxDelay   longest delay between two tries
     */
    record Retry(int attempts, Duration delay, double multiplier, Duration maxDelay) {

        static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
    }
}
