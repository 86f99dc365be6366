package io.millwright.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.EventIds;
import io.millwright.model.IsoInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the alert rules on events, one at a time in event order: a rule's condition that holds
 * on consecutive events of one key (its dedup fields) for the rule's {@code for} raises one alert
 * for that key; more matching events while it is open are deduplicated; the clear condition clears
 * it. The open alerts are kept in the database by the route ({@link AlertStore}) and handed back
 * at start-up, so a restart neither raises an open alert again nor loses its clear. So are the
 * pending timers of rules with a {@code for} above zero ({@link #takePendingChanges()}): the
 * condition's start survives a restart.
 */
final class AlertEngine {

    /** Data of an {@code io.millwright.alert.v1} event. */
    record Alert(String alertId, String rule, String status, String severity, String key, String summary, Instant since,
            String eventId) {}

    /** A rule's condition holding for a key since {@code since} (null: it stopped, or the alert was raised). */
    record Pending(String rule, String key, Instant since) {}

    private final List<AlertRules.Rule> rules;
    private final Map<String, Instant> pending = new HashMap<>();
    private final Map<String, Alert> open = new HashMap<>();
    private final List<Pending> pendingChanges = new ArrayList<>();

    AlertEngine(List<AlertRules.Rule> rules) {
        this(rules, List.of());
    }

    /** With the alerts still open from before a restart (those of rules no longer in the file are left alone). */
    AlertEngine(List<AlertRules.Rule> rules, List<Alert> stillOpen) {
        this(rules, stillOpen, List.of());
    }

    /** ... and the timers still pending from before it (of rules still in the file with a {@code for} above zero). */
    AlertEngine(List<AlertRules.Rule> rules, List<Alert> stillOpen, List<Pending> stillPending) {
        this.rules = List.copyOf(rules);
        for (Alert alert : stillOpen) {
            if (rules.stream().anyMatch(rule -> rule.name().equals(alert.rule()))) {
                open.put(alert.rule() + '\n' + alert.key(), alert);
            }
        }
        for (Pending timer : stillPending) {
            String slot = timer.rule() + '\n' + timer.key();
            if (timer.since() != null && !open.containsKey(slot)
                    && rules.stream().anyMatch(rule -> rule.name().equals(timer.rule()) && !rule.forDuration().isZero())) {
                pending.put(slot, timer.since());
            }
        }
    }

    /** The pending timers started or ended since the last call, in order, for the store. */
    synchronized List<Pending> takePendingChanges() {
        List<Pending> changes = List.copyOf(pendingChanges);
        pendingChanges.clear();
        return changes;
    }

    List<AlertRules.Rule> rules() {
        return rules;
    }

    synchronized int openAlerts() {
        return open.size();
    }

    /** The alerts one event raises or clears (mostly none). */
    synchronized List<Alert> evaluate(String eventName, JsonNode event) {
        List<Alert> out = new ArrayList<>();
        Instant time = eventTime(event);
        for (AlertRules.Rule rule : rules) {
            if (!rule.on().equals(eventName)) {
                continue;
            }
            String key = key(rule, event);
            String slot = rule.name() + '\n' + key;
            Alert raised = open.get(slot);
            if (raised != null) {
                if (rule.clearWhen().matches(event)) {
                    open.remove(slot);
                    out.add(new Alert(raised.alertId(), rule.name(), "CLEARED", rule.severity(), key,
                            rule.name() + " cleared for " + key, raised.since(), event.path("id").asText(null)));
                }
                continue;
            }
            boolean kept = !rule.forDuration().isZero();
            if (!rule.when().matches(event)) {
                if (pending.remove(slot) != null && kept) {
                    pendingChanges.add(new Pending(rule.name(), key, null));
                }
                continue;
            }
            Instant first = pending.get(slot);
            if (first == null) {
                first = time;
                pending.put(slot, first);
                if (kept) {
                    pendingChanges.add(new Pending(rule.name(), key, first));
                }
            }
            if (!time.isBefore(first.plus(rule.forDuration()))) {
                pending.remove(slot);
                if (kept) {
                    pendingChanges.add(new Pending(rule.name(), key, null));
                }
                Alert alert = new Alert(EventIds.next(), rule.name(), "RAISED", rule.severity(), key,
                        rule.name() + " (" + rule.severity() + ") for " + key, first, event.path("id").asText(null));
                open.put(slot, alert);
                out.add(alert);
            }
        }
        return out;
    }

    private static String key(AlertRules.Rule rule, JsonNode event) {
        StringBuilder key = new StringBuilder();
        for (String field : rule.dedup()) {
            if (!key.isEmpty()) {
                key.append(' ');
            }
            key.append(event.at("/" + field.replace('.', '/')).asText(""));
        }
        return key.toString();
    }

    private static Instant eventTime(JsonNode event) {
        JsonNode time = event.path("time").isTextual() ? event.path("time") : event.path("receivedtime");
        return time.isTextual() ? IsoInstants.parse(time.textValue()) : Instant.now();
    }
}
