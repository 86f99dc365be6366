package io.millwright.subscriptions;

import io.millwright.model.EventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.PageFullMessagePolicy;

/**
 * A subscription's delivery on Artemis, with the broker's own mechanisms: a durable anycast queue
 * {@code millwright.subscriptions.<name>} on its own address, fed by one non-exclusive divert per
 * subscribed event type from the multicast address {@code millwright.events.<type>}, whose filter
 * selects the asset path ({@link AssetFilter#artemisFilter()}) and the data fields
 * ({@link FieldFilter#artemisFilter()}). The broker copies each matching
 * event into the queue as it is published; the queue keeps it, on disk, while the subscriber is
 * away. Everything goes through Artemis's management address with the Core client, so the same
 * code drives the embedded broker and an external one.
 */
class SubscriptionQueues {

    /** Queue and address prefix of subscription deliveries. */
    static final String PREFIX = "millwright.subscriptions.";

    private static final com.fasterxml.jackson.databind.ObjectMapper CONSUMERS = new com.fasterxml.jackson.databind.ObjectMapper();

    private final String brokerUrl;
    private final String user;
    private final String password;

    SubscriptionQueues(String brokerUrl, String user, String password) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
    }

    static String queueName(String subscription) {
        return PREFIX + subscription;
    }

    static String divertName(String subscription, EventType type) {
        return PREFIX + subscription + ".divert." + type.eventName();
    }

    /**
     * Bounds every subscription's backlog: {@code memory} in broker memory, then paged to disk up
     * to {@code limit}, then {@code policy}. Applies to the address match {@code millwright.subscriptions.#}.
     */
    void boundBacklogs(long memory, long limit, SubscriptionsProperties.BacklogFullPolicy policy) throws Exception {
        String settings = new AddressSettings()
                .setMaxSizeBytes(memory)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // a page file must be smaller than the memory part (Artemis refuses it otherwise)
                .setPageSizeBytes((int) Math.min(memory / 2, 10L * 1024 * 1024))
                .setPageLimitBytes(limit)
                .setPageFullMessagePolicy(PageFullMessagePolicy.valueOf(policy.name()))
                .toJSON();
        withManagement(m -> m.invoke(ResourceNames.BROKER, "addAddressSettings", PREFIX + "#", settings));
    }

    /**
     * Creates the queue when missing and (re)creates the diverts of the subscribed types; diverts
     * of types no longer subscribed are removed. Events already in the queue stay.
     *
     * @param replace whether existing diverts are replaced (after a change); false keeps them (start-up)
     */
    void apply(String name, Set<EventType> types, AssetFilter filter, boolean replace) throws Exception {
        apply(name, types, filter, FieldFilter.NONE, replace);
    }

    /** As {@link #apply(String, Set, AssetFilter, boolean)}, the diverts also selecting on the event's data fields. */
    void apply(String name, Set<EventType> types, AssetFilter filter, FieldFilter fields, boolean replace) throws Exception {
        String expression = FieldFilter.and(filter.artemisFilter(), fields.artemisFilter());
        withManagement(m -> {
            SimpleString queue = SimpleString.of(queueName(name));
            if (!m.session.queueQuery(queue).isExists()) {
                m.session.createQueue(QueueConfiguration.of(queue).setAddress(queue)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true).setAutoCreateAddress(true));
            }
            Set<String> existing = m.divertNames();
            for (EventType type : EventType.values()) {
                String divert = divertName(name, type);
                boolean wanted = types.contains(type);
                if (existing.contains(divert) && (replace || !wanted)) {
                    m.invoke(ResourceNames.BROKER, "destroyDivert", divert);
                    existing.remove(divert);
                }
                if (wanted && !existing.contains(divert)) {
                    SimpleString source = SimpleString.of(type.destination());
                    if (!m.session.addressQuery(source).isExists()) {
                        m.session.createAddress(source, EnumSet.of(RoutingType.MULTICAST), false);
                    }
                    m.invoke(ResourceNames.BROKER, "createDivert", divert, divert, type.destination(), queueName(name),
                            false, expression, null, "ANYCAST");
                }
            }
        });
    }

    /** Removes the diverts, the queue with whatever it holds, and its address. */
    void remove(String name) throws Exception {
        withManagement(m -> {
            Set<String> existing = m.divertNames();
            for (EventType type : EventType.values()) {
                if (existing.contains(divertName(name, type))) {
                    m.invoke(ResourceNames.BROKER, "destroyDivert", divertName(name, type));
                }
            }
            if (m.session.queueQuery(SimpleString.of(queueName(name))).isExists()) {
                m.invoke(ResourceNames.BROKER, "destroyQueue", queueName(name), true, true);
            }
        });
    }

    /** Pauses delivery to consumers (persistently, across broker restarts); events keep arriving in the queue. */
    void pause(String name) throws Exception {
        withManagement(m -> m.invoke(ResourceNames.QUEUE + queueName(name), "pause", true));
    }

    void resume(String name) throws Exception {
        withManagement(m -> m.invoke(ResourceNames.QUEUE + queueName(name), "resume"));
    }

    /**
     * The queue's figures: pending, delivered (acknowledged), added, consumers, paused, failed,
     * lagMillis (age of the oldest pending event), backlogBytes; empty when the queue does not exist.
     */
    Map<String, Object> stats(String name) throws Exception {
        Map<String, Object> stats = new LinkedHashMap<>();
        withManagement(m -> {
            if (!m.session.queueQuery(SimpleString.of(queueName(name))).isExists()) {
                return;
            }
            String resource = ResourceNames.QUEUE + queueName(name);
            stats.put("pending", m.attribute(resource, "messageCount"));
            stats.put("delivered", m.attribute(resource, "messagesAcknowledged"));
            stats.put("added", m.attribute(resource, "messagesAdded"));
            stats.put("consumers", m.attribute(resource, "consumerCount"));
            stats.put("paused", m.attribute(resource, "paused"));
            // events the broker gave up on (expired, or dead after too many redeliveries)
            stats.put("failed", ((Number) m.attribute(resource, "messagesKilled")).longValue()
                    + ((Number) m.attribute(resource, "messagesExpired")).longValue());
            // how long the oldest waiting event has waited: the subscriber's lag; null when nothing waits
            stats.put("lagMillis", m.invoke(resource, "getFirstMessageAge"));
            stats.put("backlogBytes", m.attribute(ResourceNames.ADDRESS + queueName(name), "addressSize"));
            // the broker knows when an attached consumer last acknowledged, and forgets it when the consumer
            // leaves; QueueDeliveryWatch remembers it (epoch millis, absent without consumers)
            Object consumers = m.invoke(resource, "listConsumersAsJSON");
            long lastAcknowledged = 0;
            if (consumers != null) {
                for (com.fasterxml.jackson.databind.JsonNode consumer : CONSUMERS.readTree(String.valueOf(consumers))) {
                    lastAcknowledged = Math.max(lastAcknowledged, consumer.path("lastAcknowledgedTime").asLong(0));
                }
            }
            if (lastAcknowledged > 0) {
                stats.put("consumerLastAcknowledged", lastAcknowledged);
            }
        });
        return stats;
    }

    private interface ManagementWork {
        void run(Management management) throws Exception;
    }

    private void withManagement(ManagementWork work) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl)
                        .setCallTimeout(TimeUnit.SECONDS.toMillis(15))
                        .setReconnectAttempts(0)
                        .setInitialConnectAttempts(3);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(user, password, false, true, true, false, 0);
                ClientRequestor requestor = new ClientRequestor(session,
                        ActiveMQDefaultConfiguration.getDefaultManagementAddress())) {
            session.start();
            work.run(new Management(session, requestor));
        }
    }

    /** One management session: operation calls and attribute reads, failures thrown with the broker's reason. */
    private record Management(ClientSession session, ClientRequestor requestor) {

        Object invoke(String resource, String operation, Object... args) throws Exception {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, resource, operation, args);
            return answer(request, resource + "." + operation);
        }

        Object attribute(String resource, String attribute) throws Exception {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putAttribute(request, resource, attribute);
            return answer(request, resource + "." + attribute);
        }

        Set<String> divertNames() throws Exception {
            Object names = attribute(ResourceNames.BROKER, "divertNames");
            Set<String> result = new HashSet<>();
            if (names instanceof Object[] array) {
                Arrays.stream(array).map(String::valueOf).forEach(result::add);
            }
            return result;
        }

        private Object answer(ClientMessage request, String what) throws Exception {
            ClientMessage reply = requestor.request(request, TimeUnit.SECONDS.toMillis(15));
            if (reply == null) {
                throw new IllegalStateException("Artemis did not answer " + what + " within 15 s");
            }
            Object result = ManagementHelper.getResult(reply);
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("Artemis refused " + what + ": " + result);
            }
            return result;
        }
    }
}
