package io.millwright.ot.opcua;

import java.util.Map;

/**
 * One OPC UA connection's state as JMX attributes, so Hawtio's JMX tab (and any JMX client, through
 * Jolokia for viewers and above) shows it under {@code io.millwright:type=OpcUaConnection,name=<id>}:
 * the same figures as the {@code opcua} entry of {@code /actuator/health}.
 */
public interface OpcUaConnectionMXBean {

    String getEndpoint();

    boolean isConnected();

    String getSecurityPolicy();

    String getSecurityMode();

    /** Items created for the listed nodes plus the variables browse discovery subscribed. */
    int getMonitoredItems();

    String getLastValueTime();

    double getValuesPerSecond();

    int getReconnects();

    long getDropped();

    String getLastError();

    /** Every health detail, as text. */
    Map<String, String> getDetails();
}
