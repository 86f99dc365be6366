package io.millwright.ot.sparkplug;

import java.util.List;

/**
 * A write to an edge node (NCMD) or to one of its devices (DCMD): metrics with their Sparkplug
 * data type and the value to write, e.g. {@code Output/Setpoint}, {@code Double}, {@code 42.5}.
 * The body of {@code POST /api/sparkplug/{group}/{node}[/{device}]/commands} and of
 * {@value io.millwright.model.Endpoints#SPARKPLUG_COMMAND}.
 *
 * @param group   Sparkplug group id
 * @param node    edge node id
 * @param device  device id; null = a command to the node itself (NCMD)
 * @param metrics at least one
 * @param connection the Sparkplug connection whose MQTT session sends it: a provisioned one
 *                ({@code POST /api/connections}, {@code type: sparkplug}) by name; null or
 *                {@code sparkplug} = the host of the settings ({@code millwright.sparkplug.*})
 */
public record SparkplugCommand(String group, String node, String device, List<MetricWrite> metrics, String connection) {

    /** A command through the host of the settings. */
    public SparkplugCommand(String group, String node, String device, List<MetricWrite> metrics) {
        this(group, node, device, metrics, null);
    }

    /**
     * One metric to write.
     *
     * @param name  the metric name as the edge node's BIRTH declares it
     * @param type  Sparkplug data type: Boolean, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32,
     *              UInt64, Float, Double, String, Text or DateTime (ISO-8601); null = the type the
     *              metric has in the edge node's (or device's) last BIRTH
     * @param value the value, as JSON gives it (number, true/false, string)
     */
    public record MetricWrite(String name, String type, Object value) {}

    /** {@code spBv1.0/<group>/NCMD/<node>} or {@code spBv1.0/<group>/DCMD/<node>/<device>}. */
    public String topic() {
        return device == null
                ? "spBv1.0/" + group + "/NCMD/" + node
                : "spBv1.0/" + group + "/DCMD/" + node + "/" + device;
    }
}
