package io.millwright.ot.opcua;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers each connection's {@link OpcUaConnectionMXBean} in the platform MBean server, and removes it. */
final class OpcUaConnectionMBeans {

    private static final Logger log = LoggerFactory.getLogger(OpcUaConnectionMBeans.class);
    static final String DOMAIN_AND_TYPE = "io.millwright:type=OpcUaConnection,name=";

    private OpcUaConnectionMBeans() {}

    static ObjectName name(String connection) throws JMException {
        return new ObjectName(DOMAIN_AND_TYPE + ObjectName.quote(connection));
    }

    /** Registers the status under the connection's name, replacing one left by an earlier component. */
    static void register(OpcUaConnectionStatus status) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = name(status.connection());
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new View(status), name);
        } catch (JMException e) {
            log.warn("OPC UA connection not shown in JMX connection={} reason={}", status.connection(), e.toString());
        }
    }

    static void unregister(String connection) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = name(connection);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            log.warn("OPC UA connection not removed from JMX connection={} reason={}", connection, e.toString());
        }
    }

    private record View(OpcUaConnectionStatus status) implements OpcUaConnectionMXBean {

        @Override
        public String getEndpoint() {
            return status.endpoint();
        }

        @Override
        public boolean isConnected() {
            return status.isConnected();
        }

        @Override
        public String getSecurityPolicy() {
            return status.securityPolicy();
        }

        @Override
        public String getSecurityMode() {
            return status.securityMode();
        }

        @Override
        public int getMonitoredItems() {
            // items created for the listed nodes, plus the variables browse discovery subscribed
            return status.created() + Math.max(0, status.discoveredItems());
        }

        @Override
        public String getLastValueTime() {
            long millis = status.lastValueMillis();
            return millis == 0 ? null : java.time.Instant.ofEpochMilli(millis).toString();
        }

        @Override
        public double getValuesPerSecond() {
            return status.valuesPerSecond();
        }

        @Override
        public int getReconnects() {
            return status.reconnects();
        }

        @Override
        public long getDropped() {
            return status.dropped();
        }

        @Override
        public String getLastError() {
            return status.lastError();
        }

        @Override
        public Map<String, String> getDetails() {
            Map<String, String> details = new LinkedHashMap<>();
            status.details().forEach((key, value) -> details.put(key, String.valueOf(value)));
            return details;
        }
    }
}
