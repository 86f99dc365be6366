package io.millwright.ot.sparkplug;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/** Real Sparkplug B payloads for tests, encoded by Eclipse Tahu's encoder as an edge node would. */
public final class SparkplugPayloads {

    private final List<Metric> metrics = new ArrayList<>();
    private Long seq;
    private Date timestamp = new Date();

    public static SparkplugPayloads payload(long seq) {
        SparkplugPayloads p = new SparkplugPayloads();
        p.seq = seq;
        return p;
    }

    /** An NDEATH: no seq, only bdSeq. */
    public static byte[] death(long bdSeq) {
        return payloadWithoutSeq().named("bdSeq", null, MetricDataType.Int64, bdSeq).bytes();
    }

    public static SparkplugPayloads payloadWithoutSeq() {
        return new SparkplugPayloads();
    }

    /** A BIRTH metric: name, alias (or null) and type. */
    public SparkplugPayloads named(String name, Long alias, MetricDataType type, Object value) {
        try {
            MetricBuilder builder = new MetricBuilder(name, type, value).timestamp(timestamp);
            if (alias != null) {
                builder.alias(alias);
            }
            metrics.add(builder.createMetric());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** A DATA metric: alias only, as Sparkplug 3.0 wants it. */
    public SparkplugPayloads alias(long alias, MetricDataType type, Object value) {
        try {
            metrics.add(new MetricBuilder(alias, type, value).timestamp(timestamp).createMetric());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public SparkplugPayloads at(Date time) {
        this.timestamp = time;
        return this;
    }

    public byte[] bytes() {
        try {
            SparkplugBPayload payload = new SparkplugBPayload(timestamp, metrics, seq);
            // DATA strips the data types (the host has them from the BIRTH), as edge libraries do
            boolean strip = metrics.stream().noneMatch(Metric::hasName);
            return new SparkplugBPayloadEncoder().getBytes(payload, strip);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
