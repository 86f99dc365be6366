package io.millwright.analytics;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OEE per machine, line or site ({@code GET /api/kpi/oee}) from the lake's machine-state and
 * production-count events ({@link OeeCalculator}), the shift calendar and the ideal cycle times.
 * An asset path names a machine, or with every machine under it a line or a site. Counts are taken
 * once per event id, so a replayed or resubmitted event never counts twice. The lake's files lag
 * by at most {@code millwright.analytics.lake.roll-interval}.
 */
class OeeService {

    /** The answer for an asset (path prefix), with each machine's own figures. */
    record Answer(String asset, Instant from, Instant to, String shift, Double availability, Double performance, Double quality,
            Double oee, OeeCalculator.Inputs inputs, Map<String, OeeCalculator.Oee> machines) {}

    private final LakeQuery lake;
    private final ShiftCalendar calendar;
    private final Path idealCycleTimesFile;

    OeeService(LakeQuery lake, ShiftCalendar calendar, Path idealCycleTimesFile) {
        this.lake = lake;
        this.calendar = calendar;
        this.idealCycleTimesFile = idealCycleTimesFile;
    }

    Answer oee(String asset, Instant from, Instant to, String shift) {
        IdealCycleTimes idealCycleTimes = IdealCycleTimes.read(idealCycleTimesFile);
        List<OeeCalculator.Interval> planned = calendar.planned(from, to, shift);
        Map<String, List<OeeCalculator.StateChange>> states = new TreeMap<>();
        Map<String, List<OeeCalculator.Count>> counts = new TreeMap<>();
        lake.read(duck -> {
            List<String> types = lake.eventTypes();
            if (types.contains("machine-state")) {
                // the state each machine was in when the window began, then every change inside it
                try (PreparedStatement before = duck.prepareStatement(
                        "SELECT subject, max(time) AS t, arg_max(state, time) AS s FROM machine_state"
                                + " WHERE (subject = ? OR starts_with(subject, ?)) AND time <= ? GROUP BY subject")) {
                    bind(before, asset, from);
                    collectStates(before, states);
                }
                try (PreparedStatement inside = duck.prepareStatement(
                        "SELECT subject, time, state FROM machine_state"
                                + " WHERE (subject = ? OR starts_with(subject, ?)) AND time > ? AND time < ? ORDER BY subject, time")) {
                    bind(inside, asset, from);
                    inside.setObject(4, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
                    collectStates(inside, states);
                }
            }
            if (types.contains("production-count")) {
                try (PreparedStatement select = duck.prepareStatement(
                        "SELECT subject, time, counter, delta, orderid FROM production_count"
                                + " WHERE (subject = ? OR starts_with(subject, ?)) AND time >= ? AND time < ?"
                                + " QUALIFY row_number() OVER (PARTITION BY id) = 1")) {
                    bind(select, asset, from);
                    select.setObject(4, OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            counts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new OeeCalculator.Count(
                                    rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getLong(4), rs.getString(5)));
                        }
                    }
                }
            }
            return null;
        });
        Map<String, OeeCalculator.Oee> machines = new TreeMap<>();
        OeeCalculator.Inputs total = OeeCalculator.Inputs.NONE;
        java.util.Set<String> subjects = new java.util.TreeSet<>(states.keySet());
        subjects.addAll(counts.keySet());
        for (String subject : subjects) {
            OeeCalculator.Inputs inputs = OeeCalculator.inputs(planned, states.getOrDefault(subject, List.of()),
                    counts.getOrDefault(subject, List.of()), order -> idealCycleTimes.secondsPerPart(subject, order));
            machines.put(subject, OeeCalculator.oee(inputs));
            total = total.plus(inputs);
        }
        OeeCalculator.Oee oee = OeeCalculator.oee(total);
        return new Answer(asset, from, to, shift, oee.availability(), oee.performance(), oee.quality(), oee.oee(), total, machines);
    }

    private static void bind(PreparedStatement statement, String asset, Instant from) throws SQLException {
        statement.setString(1, asset);
        statement.setString(2, asset.endsWith("/") ? asset : asset + "/");
        statement.setObject(3, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
    }

    private static void collectStates(PreparedStatement statement, Map<String, List<OeeCalculator.StateChange>> states) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                states.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new OeeCalculator.StateChange(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)));
            }
        }
    }
}
