package io.millwright.ot.sparkplug;

import io.millwright.model.AssetLookup;
import io.millwright.model.DataGap;
import io.millwright.model.SourceReading;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.eclipse.tahu.protobuf.SparkplugBProto;

/**
 * What a Sparkplug B 3.0 primary host knows of each edge node and device, and what each message
 * means for the hub: canonical readings, data gaps, and when to ask for a rebirth. Pure state, no
 * MQTT: {@link SparkplugHost} feeds it the messages in arrival order from one thread.
 *
 * <ul>
 *   <li>NBIRTH/DBIRTH: names, aliases and data types are learnt (aliases are unique per edge node,
 *       devices included); every metric but {@code bdSeq} and {@code Node Control/*} is a reading.</li>
 *   <li>NDATA/DDATA: metrics by alias (or name) with the BIRTH's data types.</li>
 *   <li>NDEATH whose {@code bdSeq} matches the NBIRTH's: the node's and its devices' metrics become
 *       BAD readings stamped with the receive time; DDEATH: the device's, with its timestamp. A death
 *       with another bdSeq (a late will of an older session) is ignored. The data gap is reported when
 *       the node or device is born again.</li>
 *   <li>A {@code seq} that is not the previous one plus 1 (mod 256), DATA before BIRTH, an unknown
 *       alias, or a payload that does not decode: a rebirth request, once until the next NBIRTH.</li>
 * </ul>
 */
final class SparkplugSessions {

    /** OPC UA Bad_NoCommunication (OPC 10000-4 7.39): the status of a metric whose node or device died. */
    static final long BAD_NO_COMMUNICATION = 0x80310000L;
    static final String BD_SEQ = "bdSeq";
    static final String NODE_CONTROL = "Node Control/";

    /** Why a rebirth was requested; the counter's tag. */
    enum RebirthReason {
        SEQUENCE_GAP("sequence-gap"), UNKNOWN_ALIAS("unknown-alias"), NOT_BORN("data-before-birth"), MALFORMED("malformed-payload");

        final String tag;

        RebirthReason(String tag) {
            this.tag = tag;
        }
    }

    /** What one message gives: readings for the intake, data gaps to publish, a rebirth to request (or null). */
    record Outcome(List<SourceReading> readings, List<DataGap> gaps, Rebirth rebirth, boolean ignored) {
        static final Outcome NOTHING = new Outcome(List.of(), List.of(), null, true);
    }

    /** A rebirth request for an edge node: the NCMD topic and why. */
    record Rebirth(String group, String node, RebirthReason reason, String detail) {
        String topic() {
            return "spBv1.0/" + group + "/NCMD/" + node;
        }
    }

    private final AssetLookup assets;
    private final boolean rebirthOnUnknownAlias;
    private final SparkplugBPayloadDecoder decoder = new SparkplugBPayloadDecoder();
    private final Map<String, NodeState> nodes = new HashMap<>();
    /**
     * Per edge node ({@code group/node}), the data type each metric had in the node's BIRTHs (key
     * {@code device/name}, device empty for the node's own): read by commands on other threads,
     * replaced on each NBIRTH.
     */
    private final Map<String, Map<String, MetricDataType>> birthTypes = new ConcurrentHashMap<>();

    SparkplugSessions(AssetLookup assets, boolean rebirthOnUnknownAlias) {
        this.assets = assets;
        this.rebirthOnUnknownAlias = rebirthOnUnknownAlias;
    }

    /** Handles one message of {@code spBv1.0/<group>/<type>/<node>[/<device>]}; other topics are ignored. */
    /** The data type the last BIRTH of that node (device null = the node itself) gave the metric {@code name}. */
    Optional<MetricDataType> birthType(String group, String node, String device, String name) {
        Map<String, MetricDataType> types = birthTypes.get(group + "/" + node);
        return Optional.ofNullable(types == null ? null : types.get((device == null ? "" : device) + "/" + name));
    }

    Outcome onMessage(String topic, byte[] body, Instant received) {
        String[] parts = topic.split("/");
        if (parts.length < 4 || parts.length > 5 || !"spBv1.0".equals(parts[0])) {
            return Outcome.NOTHING;
        }
        String group = parts[1];
        String type = parts[2];
        String nodeId = parts[3];
        String device = parts.length == 5 ? parts[4] : null;
        boolean deviceType = type.startsWith("D");
        if (deviceType != (device != null)) {
            return Outcome.NOTHING;
        }
        NodeState node = nodes.computeIfAbsent(group + "/" + nodeId, k -> new NodeState(group, nodeId));
        return switch (type) {
            case "NBIRTH" -> nodeBirth(node, body, received);
            case "NDEATH" -> nodeDeath(node, body, received);
            case "DBIRTH" -> deviceBirth(node, device, body, received);
            case "DDEATH" -> deviceDeath(node, device, body, received);
            case "NDATA", "DDATA" -> data(node, device, body, received);
            default -> Outcome.NOTHING; // NCMD, DCMD: commands, not data
        };
    }

    /** Whether the edge node is online (born, not dead), e.g. {@code plant-1/line-1}. */
    boolean isOnline(String groupAndNode) {
        NodeState node = nodes.get(groupAndNode);
        return node != null && node.online;
    }

    private Outcome nodeBirth(NodeState node, byte[] body, Instant received) {
        SparkplugBPayload payload;
        try {
            payload = decoder.buildFromByteArray(body, null);
        } catch (Exception e) {
            return rebirth(node, RebirthReason.MALFORMED, "NBIRTH does not decode: " + e.getMessage());
        }
        Long bdSeq = null;
        for (Metric metric : payload.getMetrics()) {
            if (BD_SEQ.equals(metric.getName()) && metric.getValue() instanceof Number n) {
                bdSeq = n.longValue();
            }
        }
        node.reset();
        birthTypes.put(node.group + "/" + node.node, new ConcurrentHashMap<>());
        node.bdSeq = bdSeq;
        node.lastSeq = seqOf(payload);
        node.online = true;
        node.rebirthPending = false;
        List<SourceReading> readings = new ArrayList<>();
        learn(node, "", payload, received, readings);
        List<DataGap> gaps = new ArrayList<>();
        if (node.deadSince != null) {
            gaps.add(new DataGap(node.source(null), node.connection(null), node.deadSince, time(payload, received),
                    List.copyOf(node.assetsAtDeath), "edge node " + node.connection(null) + " died (NDEATH bdSeq "
                    + node.deathBdSeq + ") and was born again"));
            node.deadSince = null;
        }
        return new Outcome(readings, gaps, null, false);
    }

    private Outcome deviceBirth(NodeState node, String device, byte[] body, Instant received) {
        if (!node.online) {
            return rebirth(node, RebirthReason.NOT_BORN, "DBIRTH of " + device + " before NBIRTH");
        }
        SparkplugBPayload payload;
        try {
            payload = decoder.buildFromByteArray(body, null);
        } catch (Exception e) {
            return rebirth(node, RebirthReason.MALFORMED, "DBIRTH of " + device + " does not decode: " + e.getMessage());
        }
        Rebirth gap = checkSeq(node, payload, "DBIRTH of " + device);
        node.forgetDevice(device);
        List<SourceReading> readings = new ArrayList<>();
        learn(node, device, payload, received, readings);
        node.onlineDevices.add(device);
        List<DataGap> gaps = new ArrayList<>();
        Instant deadSince = node.deviceDeadSince.remove(device);
        if (deadSince != null) {
            gaps.add(new DataGap(node.source(device), node.connection(device), deadSince, time(payload, received),
                    List.copyOf(node.deviceAssetsAtDeath.remove(device)), "device " + node.connection(device)
                    + " died (DDEATH) and was born again"));
        }
        return new Outcome(readings, gaps, gap, false);
    }

    private Outcome data(NodeState node, String device, byte[] body, Instant received) {
        String what = (device == null ? "NDATA" : "DDATA of " + device);
        if (!node.online || (device != null && !node.onlineDevices.contains(device))) {
            return rebirth(node, RebirthReason.NOT_BORN, what + " before its BIRTH");
        }
        SparkplugBPayload payload;
        try {
            payload = decoder.buildFromByteArray(body, node.types);
        } catch (Exception e) {
            return rebirth(node, RebirthReason.MALFORMED, what + " does not decode with the BIRTH's data types: " + e.getMessage());
        }
        Rebirth rebirth = checkSeq(node, payload, what);
        if (rebirth == null && rebirthOnUnknownAlias) {
            rebirth = checkAliasesKnown(node, body, payload, what);
        }
        String key = device == null ? "" : device;
        Map<String, Long> known = node.metrics.getOrDefault(key, Map.of());
        List<SourceReading> readings = new ArrayList<>(payload.getMetrics().size());
        for (Metric metric : payload.getMetrics()) {
            String name = metric.hasName() ? metric.getName() : (metric.hasAlias() ? node.aliasNames.get(metric.getAlias()) : null);
            if (name == null || !known.containsKey(name)) {
                if (rebirth == null && rebirthOnUnknownAlias) {
                    rebirth = requestRebirth(node, RebirthReason.UNKNOWN_ALIAS, what + " names "
                            + (metric.hasAlias() ? "alias " + metric.getAlias() : "metric " + metric.getName()) + ", unknown from the BIRTH");
                }
                continue;
            }
            if (skipped(name)) {
                continue;
            }
            readings.add(reading(node, device, name, metric, payload, received));
        }
        return new Outcome(readings, List.of(), rebirth, false);
    }

    /** Tahu's decoder drops a metric whose alias it has no data type for: compare with the raw protobuf. */
    private Rebirth checkAliasesKnown(NodeState node, byte[] body, SparkplugBPayload decoded, String what) {
        SparkplugBProto.Payload raw;
        try {
            raw = SparkplugBProto.Payload.parseFrom(body);
        } catch (Exception e) {
            return requestRebirth(node, RebirthReason.MALFORMED, what + " is not a Sparkplug B payload: " + e.getMessage());
        }
        if (raw.getMetricsCount() == decoded.getMetrics().size()) {
            return null;
        }
        for (SparkplugBProto.Payload.Metric metric : raw.getMetricsList()) {
            if (!metric.hasName() && metric.hasAlias() && !node.aliasNames.containsKey(metric.getAlias())) {
                return requestRebirth(node, RebirthReason.UNKNOWN_ALIAS, what + " names alias " + metric.getAlias() + ", unknown from the BIRTH");
            }
        }
        return requestRebirth(node, RebirthReason.MALFORMED, what + " has " + raw.getMetricsCount() + " metrics of which "
                + decoded.getMetrics().size() + " decode");
    }

    private Outcome deviceDeath(NodeState node, String device, byte[] body, Instant received) {
        if (!node.onlineDevices.contains(device)) {
            return Outcome.NOTHING;
        }
        SparkplugBPayload payload;
        try {
            payload = decoder.buildFromByteArray(body, node.types);
        } catch (Exception e) {
            payload = null;
        }
        Rebirth rebirth = payload == null ? null : checkSeq(node, payload, "DDEATH of " + device);
        Instant at = payload == null ? received : time(payload, received);
        List<SourceReading> readings = new ArrayList<>();
        Set<String> affected = new TreeSet<>();
        markBad(node, device, at, received, readings, affected);
        node.onlineDevices.remove(device);
        node.deviceDeadSince.put(device, at);
        node.deviceAssetsAtDeath.put(device, affected);
        return new Outcome(readings, List.of(), rebirth, false);
    }

    private Outcome nodeDeath(NodeState node, byte[] body, Instant received) {
        Long bdSeq = null;
        try {
            for (Metric metric : decoder.buildFromByteArray(body, null).getMetrics()) {
                if (BD_SEQ.equals(metric.getName()) && metric.getValue() instanceof Number n) {
                    bdSeq = n.longValue();
                }
            }
        } catch (Exception e) {
            return Outcome.NOTHING; // without its bdSeq a death cannot be matched to a session
        }
        if (!node.online || bdSeq == null || !bdSeq.equals(node.bdSeq)) {
            return Outcome.NOTHING; // an older session's will, or a second NDEATH
        }
        List<SourceReading> readings = new ArrayList<>();
        Set<String> affected = new TreeSet<>();
        markBad(node, null, received, received, readings, affected);
        for (String device : List.copyOf(node.onlineDevices)) {
            markBad(node, device, received, received, readings, affected);
        }
        node.online = false;
        node.onlineDevices.clear();
        node.deadSince = received;
        node.deathBdSeq = bdSeq;
        node.assetsAtDeath = affected;
        return new Outcome(readings, List.of(), null, false);
    }

    private void learn(NodeState node, String device, SparkplugBPayload payload, Instant received, List<SourceReading> readings) {
        Map<String, Long> names = node.metrics.computeIfAbsent(device, d -> new LinkedHashMap<>());
        for (Metric metric : payload.getMetrics()) {
            if (!metric.hasName()) {
                continue;
            }
            String name = metric.getName();
            names.put(name, metric.hasAlias() ? metric.getAlias() : null);
            if (metric.hasAlias()) {
                node.aliasNames.put(metric.getAlias(), name);
                node.types.addMetricDataType(metric.getAlias(), metric.getDataType());
            }
            node.types.addMetricDataType(name, metric.getDataType());
            birthTypes.computeIfAbsent(node.group + "/" + node.node, k -> new ConcurrentHashMap<>())
                    .put(device + "/" + name, metric.getDataType());
            if (!skipped(name)) {
                readings.add(reading(node, device.isEmpty() ? null : device, name, metric, payload, received));
            }
        }
    }

    private void markBad(NodeState node, String device, Instant at, Instant received, List<SourceReading> readings, Set<String> affected) {
        String key = device == null ? "" : device;
        for (String name : node.metrics.getOrDefault(key, Map.of()).keySet()) {
            if (skipped(name)) {
                continue;
            }
            readings.add(new SourceReading(node.connection(device), node.source(device), name, null, BAD_NO_COMMUNICATION, at, received));
            String path = assets.assetPath(node.source(device), node.connection(device), name);
            if (path != null) {
                affected.add(path);
            }
        }
    }

    private Rebirth checkSeq(NodeState node, SparkplugBPayload payload, String what) {
        long seq = seqOf(payload);
        long expected = (node.lastSeq + 1) % 256;
        node.lastSeq = seq;
        if (seq != expected) {
            return requestRebirth(node, RebirthReason.SEQUENCE_GAP, what + " has seq " + seq + ", expected " + expected);
        }
        return null;
    }

    private Outcome rebirth(NodeState node, RebirthReason reason, String detail) {
        return new Outcome(List.of(), List.of(), requestRebirth(node, reason, detail), false);
    }

    /** A rebirth request, or null when one is already outstanding (until the next NBIRTH). */
    private Rebirth requestRebirth(NodeState node, RebirthReason reason, String detail) {
        if (node.rebirthPending) {
            return null;
        }
        node.rebirthPending = true;
        return new Rebirth(node.group, node.node, reason, detail);
    }

    private static SourceReading reading(NodeState node, String device, String name, Metric metric, SparkplugBPayload payload, Instant received) {
        Object value = Boolean.TRUE.equals(metric.isNull()) ? null : plain(metric.getDataType(), metric.getValue());
        Instant time = metric.getTimestamp() != null ? metric.getTimestamp().toInstant() : time(payload, null);
        return new SourceReading(node.connection(device), node.source(device), name, value, 0L, time, received);
    }

    /** Sparkplug values as the intake takes them: Long, Double, Boolean, String, BigInteger, or their lists. */
    static Object plain(MetricDataType type, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? big.longValue() : big;
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Long || value instanceof Double || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Date d) {
            return d.toInstant().toString();
        }
        if (value instanceof Object[] array) {
            return java.util.Arrays.stream(array).map(v -> plain(type, v)).toList();
        }
        return String.valueOf(value); // DataSet, Template, bytes, file: their text; a mapping of its own may do better
    }

    private static boolean skipped(String name) {
        return BD_SEQ.equals(name) || name.startsWith(NODE_CONTROL);
    }

    private static long seqOf(SparkplugBPayload payload) {
        return payload.getSeq() == null ? -1 : payload.getSeq();
    }

    private static Instant time(SparkplugBPayload payload, Instant fallback) {
        return payload.getTimestamp() != null ? payload.getTimestamp().toInstant() : fallback;
    }

    /** One edge node's session: its bdSeq, last seq, metrics per device ("" = the node's own), aliases, deaths. */
    private static final class NodeState {
        final String group;
        final String node;
        Long bdSeq;
        long lastSeq = -1;
        boolean online;
        boolean rebirthPending;
        final Map<String, Map<String, Long>> metrics = new HashMap<>();
        final Map<Long, String> aliasNames = new HashMap<>();
        MetricDataTypeMap types = new MetricDataTypeMap();
        final Set<String> onlineDevices = new LinkedHashSet<>();
        Instant deadSince;
        Long deathBdSeq;
        Set<String> assetsAtDeath = Set.of();
        final Map<String, Instant> deviceDeadSince = new HashMap<>();
        final Map<String, Set<String>> deviceAssetsAtDeath = new HashMap<>();

        NodeState(String group, String node) {
            this.group = group;
            this.node = node;
        }

        /** A new session (NBIRTH): every device must be born again. */
        void reset() {
            metrics.clear();
            aliasNames.clear();
            types = new MetricDataTypeMap();
            onlineDevices.clear();
        }

        void forgetDevice(String device) {
            Map<String, Long> old = metrics.remove(device);
            if (old != null) {
                old.values().forEach(alias -> {
                    if (alias != null) {
                        aliasNames.remove(alias);
                    }
                });
            }
        }

        String connection(String device) {
            return device == null || device.isEmpty() ? group + "/" + node : group + "/" + node + "/" + device;
        }

        String source(String device) {
            return "sparkplug://" + connection(device);
        }
    }
}
