package io.millwright.production;

import io.millwright.enrich.AssetTag;
import io.millwright.enrich.EnrichedSignal;
import io.millwright.model.EventIds;
import io.millwright.model.LimitAlarm;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Limit alarms from the asset registry's {@code limits: {low, high}}: a measurement above
 * {@code high} (below {@code low}) raises an alarm for its tag and limit; while it is raised, more
 * readings beyond the limit raise nothing (one alarm, not one per reading); it clears when a
 * reading comes back inside the limit by the hysteresis ({@link ProductionProperties#alarmHysteresis()}).
 * Open alarms live in memory: after a restart, a value still beyond the limit raises again.
 * Apart from alerting's rules on events (analytics-bridge/alert-rules.yaml): these are the
 * registry's own limits, decided on the reading itself.
 */
@Component
public class LimitAlarms {

    private record Open(String alarmId, String limit, double limitValue, Instant raisedAt) {}

    private final double hysteresis;
    private final Map<String, Open> open = new ConcurrentHashMap<>();

    public LimitAlarms(ProductionProperties properties) {
        this.hysteresis = properties.alarmHysteresis() / 100.0;
    }

    /** The alarm this reading raises or clears, if any; readings of tags without limits or without a number give none. */
    public Optional<LimitAlarm> evaluate(EnrichedSignal reading, OrderContext.OrderOperation running) {
        AssetTag tag = reading.asset();
        Double value = number(reading.signal().value());
        if (value == null || (tag.low() == null && tag.high() == null)) {
            return Optional.empty();
        }
        String key = tag.assetPath() + '\n' + tag.nodeId();
        Open raised = open.get(key);
        if (raised != null) {
            double margin = margin(tag, raised.limitValue());
            boolean back = raised.limit().equals("HIGH") ? value <= raised.limitValue() - margin : value >= raised.limitValue() + margin;
            if (!back) {
                return Optional.empty();
            }
            open.remove(key);
            return Optional.of(alarm(raised.alarmId(), tag, LimitAlarm.CLEARED, raised.limit(), raised.limitValue(), value,
                    raised.raisedAt(), running));
        }
        String limit = tag.high() != null && value > tag.high() ? "HIGH" : tag.low() != null && value < tag.low() ? "LOW" : null;
        if (limit == null) {
            return Optional.empty();
        }
        Open now = new Open(EventIds.next(), limit, limit.equals("HIGH") ? tag.high() : tag.low(), reading.time());
        open.put(key, now);
        return Optional.of(alarm(now.alarmId(), tag, LimitAlarm.RAISED, limit, now.limitValue(), value, now.raisedAt(), running));
    }

    private double margin(AssetTag tag, double limitValue) {
        double band = tag.low() != null && tag.high() != null ? tag.high() - tag.low() : Math.abs(limitValue);
        return band * hysteresis;
    }

    private static LimitAlarm alarm(String id, AssetTag tag, String status, String limit, double limitValue, double value,
            Instant raisedAt, OrderContext.OrderOperation running) {
        return new LimitAlarm(id, tag.name(), status, limit, limitValue, value, tag.unit(), raisedAt,
                running == null ? null : running.orderId(), running == null ? null : running.operation());
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
