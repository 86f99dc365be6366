package io.millwright.ot.sparkplug;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.InvalidEventException;
import io.millwright.ot.sparkplug.SparkplugCommand.MetricWrite;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugBPayload.SparkplugBPayloadBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to edge nodes and devices (Sparkplug B NCMD/DCMD, QoS 0, not retained, as the spec
 * says) over the MQTT session of the Sparkplug connection the command names: the host of the settings
 * ({@value SparkplugHost#SETTINGS_CONNECTION}, the default) or a provisioned one by name (404 when none
 * of that name runs): each metric checked against its data type (400 naming
 * {@code metrics[i].value} when the value does not fit), encoded with Tahu, and written to the audit
 * log ({@value #AUDIT_LOGGER}, the logger of every management action) with who sent it, the connection,
 * the topic and the metric names; values are left out of the log as they are of the HTTP audit.
 */
public class SparkplugCommands {

    static final String AUDIT_LOGGER = "millwright.audit";

    private static final Logger log = LoggerFactory.getLogger(SparkplugCommands.class);
    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);
    private static final Set<MetricDataType> WRITABLE = Set.of(MetricDataType.Boolean, MetricDataType.Int8,
            MetricDataType.Int16, MetricDataType.Int32, MetricDataType.Int64, MetricDataType.UInt8, MetricDataType.UInt16,
            MetricDataType.UInt32, MetricDataType.UInt64, MetricDataType.Float, MetricDataType.Double, MetricDataType.String,
            MetricDataType.Text, MetricDataType.DateTime);

    /** What was sent, through which connection. */
    public record Sent(String connection, String topic, List<String> metrics, Instant sentAt) {}

    /** No Sparkplug connection of that name runs: nothing was sent. */
    public static class UnknownConnectionException extends RuntimeException {
        UnknownConnectionException(String message) {
            super(message);
        }
    }

    /** The host has no broker session: nothing was sent. */
    public static class NotConnectedException extends RuntimeException {
        NotConnectedException(String message) {
            super(message);
        }
    }

    private final Function<String, Optional<SparkplugHost>> hosts;
    private final Counter sent;

    /**
     * @param hosts the running Sparkplug host of a connection name ({@value SparkplugHost#SETTINGS_CONNECTION}
     *              = the host of the settings)
     */
    public SparkplugCommands(Function<String, Optional<SparkplugHost>> hosts, MeterRegistry meters) {
        this.hosts = hosts;
        this.sent = meters.counter("millwright.sparkplug.commands");
    }

    /** The connection a command names, {@value SparkplugHost#SETTINGS_CONNECTION} when it names none. */
    static String connectionOf(SparkplugCommand command) {
        return command.connection() == null || command.connection().isBlank() ? SparkplugHost.SETTINGS_CONNECTION : command.connection();
    }

    /**
     * Validates, encodes and publishes {@code command}.
     *
     * @param actor who sends it, for the audit log: the login, or {@code route:<route id>}
     */
    public Sent send(SparkplugCommand command, String actor) {
        String connection = connectionOf(command);
        SparkplugHost host = hosts.apply(connection).orElseThrow(() -> new UnknownConnectionException(
                SparkplugHost.SETTINGS_CONNECTION.equals(connection)
                        ? "no Sparkplug host of the settings runs (millwright.sparkplug.enabled is false); name a provisioned"
                                + " Sparkplug connection: ?connection=<name> (REST) or \"connection\" (route)"
                        : "connection '" + connection + "': no Sparkplug connection of that name runs; provision it with POST"
                                + " /api/connections (\"type\": \"sparkplug\") or enable it (GET /api/connections lists them)"));
        id("group", command.group());
        id("node", command.node());
        if (command.device() != null) {
            id("device", command.device());
        }
        if (command.metrics() == null || command.metrics().isEmpty()) {
            throw InvalidEventException.field("metrics", null, "must list at least one metric: {\"name\", \"type\", \"value\"}");
        }
        Date now = new Date();
        SparkplugBPayloadBuilder payload = new SparkplugBPayloadBuilder().setTimestamp(now);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < command.metrics().size(); i++) {
            payload.addMetric(metric(host, "metrics[" + i + "]", command, command.metrics().get(i), now));
            names.add(command.metrics().get(i).name());
        }
        byte[] bytes = encode(payload.createPayload());
        if (!host.publish(command.topic(), bytes)) {
            AUDIT.info("at={} user={} action=sparkplug-command connection={} topic={} metrics={} status=not-sent"
                    + " reason=no-broker-session", now.toInstant(), actor, connection, command.topic(), names);
            throw new NotConnectedException("the Sparkplug connection '" + connection + "' has no session with its broker ("
                    + host.settings().brokerUrl() + "); nothing was sent to " + command.topic());
        }
        sent.increment();
        AUDIT.info("at={} user={} action=sparkplug-command connection={} topic={} metrics={} status=sent", now.toInstant(), actor,
                connection, command.topic(), names);
        log.info("Sparkplug command sent connection={} topic={} metrics={} by={}", connection, command.topic(), names, actor);
        return new Sent(connection, command.topic(), names, now.toInstant());
    }

    private static void id(String field, String value) {
        if (value == null || value.isBlank() || value.matches(".*[/+#].*")) {
            throw InvalidEventException.field(field, value, "must be a Sparkplug id: not empty, no '/', '+' or '#'");
        }
    }

    private static Metric metric(SparkplugHost host, String at, SparkplugCommand command, MetricWrite write, Date now) {
        if (write == null) {
            throw InvalidEventException.field(at, null, "must be {\"name\", \"type\", \"value\"}");
        }
        if (write.name() == null || write.name().isBlank()) {
            throw InvalidEventException.field(at + ".name", write.name(), "is required: the metric name as the BIRTH declares it");
        }
        MetricDataType type = write.type() == null || write.type().isBlank()
                ? host.birthType(command.group(), command.node(), command.device(), write.name())
                        .filter(WRITABLE::contains)
                        .orElseThrow(() -> InvalidEventException.field(at + ".type", null, "is required: no BIRTH of "
                                + command.group() + "/" + command.node() + (command.device() == null ? "" : "/" + command.device())
                                + " since the hub started declares a writable metric '" + write.name() + "' to take it from"))
                : type(at + ".type", write.type());
        Object value = value(at + ".value", type, write.value());
        try {
            return new MetricBuilder(write.name(), type, value).timestamp(now).createMetric();
        } catch (Exception e) {
            throw InvalidEventException.field(at + ".value", write.value(), "is not a " + type + ": " + e.getMessage());
        }
    }

    private static MetricDataType type(String at, String name) {
        for (MetricDataType type : WRITABLE) {
            if (type.getType().equals(name)) {
                return type;
            }
        }
        throw InvalidEventException.field(at, name, "must be one of Boolean, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32,"
                + " UInt64, Float, Double, String, Text, DateTime");
    }

    /** The value as Tahu wants it for {@code type}; out of range or of the wrong kind is bad input. */
    static Object value(String at, MetricDataType type, Object raw) {
        if (raw == null) {
            throw InvalidEventException.field(at, null, "is required");
        }
        try {
            return switch (type.getType()) {
                case "Boolean" -> {
                    if (raw instanceof Boolean b) {
                        yield b;
                    }
                    throw InvalidEventException.field(at, raw, "must be true or false");
                }
                case "Int8" -> (byte) integer(at, raw, Byte.MIN_VALUE, Byte.MAX_VALUE).longValueExact();
                case "Int16" -> (short) integer(at, raw, Short.MIN_VALUE, Short.MAX_VALUE).longValueExact();
                case "Int32" -> (int) integer(at, raw, Integer.MIN_VALUE, Integer.MAX_VALUE).longValueExact();
                case "Int64" -> integer(at, raw, Long.MIN_VALUE, Long.MAX_VALUE).longValueExact();
                case "UInt8" -> (short) integer(at, raw, 0, 255).longValueExact();
                case "UInt16" -> (int) integer(at, raw, 0, 65_535).longValueExact();
                case "UInt32" -> integer(at, raw, 0, 4_294_967_295L).longValueExact();
                case "UInt64" -> {
                    BigInteger big = number(at, raw).toBigIntegerExact();
                    if (big.signum() < 0 || big.bitLength() > 64) {
                        throw InvalidEventException.field(at, raw, "must be between 0 and 18446744073709551615");
                    }
                    yield big;
                }
                case "Float" -> number(at, raw).floatValue();
                case "Double" -> number(at, raw).doubleValue();
                case "String", "Text" -> {
                    if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
                        throw InvalidEventException.field(at, raw, "must be a string");
                    }
                    yield String.valueOf(raw);
                }
                case "DateTime" -> Date.from(Instant.parse(String.valueOf(raw)));
                default -> throw InvalidEventException.field(at, raw, "cannot be written as " + type);
            };
        } catch (ArithmeticException e) {
            throw InvalidEventException.field(at, raw, "must be a whole number for " + type);
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field(at, raw, "must be an ISO-8601 instant, e.g. 2026-11-30T17:00:00Z");
        }
    }

    private static BigDecimal integer(String at, Object raw, long min, long max) {
        BigDecimal number = number(at, raw);
        BigInteger whole = number.toBigIntegerExact();
        if (whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
            throw InvalidEventException.field(at, raw, "must be between " + min + " and " + max);
        }
        return new BigDecimal(whole);
    }

    private static BigDecimal number(String at, Object raw) {
        if (raw instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        throw InvalidEventException.field(at, raw, "must be a number");
    }

    private static byte[] encode(SparkplugBPayload payload) {
        try {
            return new SparkplugBPayloadEncoder().getBytes(payload, false);
        } catch (Exception e) {
            throw new IllegalStateException("Sparkplug command not encoded: " + e.getMessage(), e);
        }
    }
}
