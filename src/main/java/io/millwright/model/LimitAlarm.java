package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A measurement crossed a limit of the asset registry ({@code limits: {low, high}}) and was
 * {@code RAISED}, or came back inside the limit by the hysteresis and was {@code CLEARED}. The
 * raising and the clearing event carry the same {@code alarmId}.
 *
 * @param tag        the measurement's name in the registry (e.g. {@code temperature})
 * @param limit      {@code HIGH} or {@code LOW}
 * @param limitValue the registry's limit
 * @param value      the reading that raised or cleared the alarm
 * @param raisedAt   source time of the reading that raised it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitAlarm(String alarmId, String tag, String status, String limit, double limitValue, double value,
        String unit, Instant raisedAt, String orderId, String operation) {

    public static final String RAISED = "RAISED";
    public static final String CLEARED = "CLEARED";
}
