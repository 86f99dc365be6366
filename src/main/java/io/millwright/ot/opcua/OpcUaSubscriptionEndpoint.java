package io.millwright.ot.opcua;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code opcua-subscription:<connection-id>}: the values of every node of one connection file, as
 * batches ({@code List<SourceReading>}). Consumer only; the settings live in the connection file,
 * so the URI has no options.
 */
@UriEndpoint(
        scheme = OpcUaSubscriptionComponent.SCHEME,
        title = "OPC UA subscription",
        syntax = "opcua-subscription:connectionId",
        consumerOnly = true,
        category = {Category.IOT})
public final class OpcUaSubscriptionEndpoint extends DefaultEndpoint {

    private final OpcUaConnection connection;
    private final String password;
    private final OpcUaConnectionStatus status;

    OpcUaSubscriptionEndpoint(
            String uri,
            OpcUaSubscriptionComponent component,
            OpcUaConnection connection,
            String password,
            OpcUaConnectionStatus status) {
        super(uri, component);
        this.connection = connection;
        this.password = password;
        this.status = status;
    }

    /** The connection this endpoint reads. */
    public OpcUaConnection connection() {
        return connection;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("opcua-subscription:" + connection.id()
                + " can only be consumed (from); it does not write to OPC UA servers");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new OpcUaSubscriptionConsumer(this, processor, connection, password, status);
        configureConsumer(consumer);
        return consumer;
    }
}
