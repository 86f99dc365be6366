package io.millwright.subscriptions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An MES subscription as the REST API takes and gives it: which event types, for which assets
 * (an ISA-95 path with MQTT-style wildcards), delivered how.
 *
 * @param name unique, also names the Artemis queue {@code millwright.subscriptions.<name>}
 * @param owner who to ask about it (a team, a system)
 * @param types event type names ({@code machine-state}, ...)
 * @param assetFilter ISA-95 path prefix with {@code +} (one level) and {@code #} (this level and below, last)
 * @param filter optional conditions on the event's data fields, all must hold: {@code {"data.state": "RUNNING"}},
 *     {@code {"data.quantity": {"gt": 10}}} (operators eq, ne, gt, gte, lt, lte, in; see {@link FieldFilter})
 * @param delivery how the events reach the subscriber
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
        String name,
        String owner,
        List<String> types,
        String assetFilter,
        Map<String, Object> filter,
        Delivery delivery) {

    /** How events reach the subscriber. */
    public enum DeliveryType { queue, webhook, kafka }

    /**
     * @param type {@code queue} (durable Artemis anycast queue), {@code webhook} or {@code kafka}
     * @param url webhook only: where events are POSTed
     * @param secret webhook only: key of the HMAC-SHA256 signature; never returned by the API
     * @param mode webhook only: {@code structured} (default) or {@code binary} CloudEvents
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(DeliveryType type, String url, String secret, String mode) {

        /** The same delivery with the secret hidden, as the API shows it. */
        Delivery redacted() {
            return secret == null ? this : new Delivery(type, url, "********", mode);
        }
    }

    /** The same subscription with secrets hidden. */
    Subscription redacted() {
        return delivery == null ? this : new Subscription(name, owner, types, assetFilter, filter, delivery.redacted());
    }
}
