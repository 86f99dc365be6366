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

    private final String connectionId;

    OpcUaSubscriptionEndpoint(String uri, OpcUaSubscriptionComponent component, String connectionId) {
        super(uri, component);
        this.connectionId = connectionId;
    }

    /** The connection this endpoint reads, as it is now (a reloaded file applies when the route restarts). */
    public OpcUaConnection connection() {
        OpcUaConnection connection = getComponent().connection(connectionId);
        if (connection == null) {
            throw new IllegalStateException("OPC UA connection '" + connectionId + "' was removed");
        }
        return connection;
    }

    @Override
    public OpcUaSubscriptionComponent getComponent() {
        return (OpcUaSubscriptionComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("opcua-subscription:" + connectionId
                + " can only be consumed (from); it does not write to OPC UA servers");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new OpcUaSubscriptionConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
