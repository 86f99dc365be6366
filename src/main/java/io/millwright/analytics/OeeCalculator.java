package io.millwright.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * OEE after ISO 22400-2 for one machine over planned intervals, from its machine-state timeline
 * and its production counts:
 *
 * <ul>
 *   <li>planned busy time (PBT): the shift time within the asked window;
 *   <li>actual production time (APT): the part of PBT the machine was RUNNING (a state holds from
 *       its event until the next one; the state before the window carries into it);
 *   <li>availability = APT / PBT; performance = (sum of ideal cycle time x produced quantity) / APT,
 *       produced = good + scrap counted in PBT; quality = good / produced; OEE = their product.
 * </ul>
 *
 * A ratio whose denominator is zero is reported as null (no planned time, no running time, nothing
 * produced), and OEE with it. Several machines (a line) add their times and quantities first.
 */
final class OeeCalculator {

    private OeeCalculator() {}

    /** One state change: from {@code time} on the machine is in {@code state}. */
    record StateChange(Instant time, String state) {}

    /** Parts counted at a time: {@code counter} GOOD or SCRAP, for an order (may be null). */
    record Count(Instant time, String counter, long delta, String orderId) {}

    /** A planned interval [start, end). */
    record Interval(Instant start, Instant end) {
        Duration length() {
            return Duration.between(start, end);
        }
    }

    /** The figures behind the ratios, in seconds and parts. */
    record Inputs(double plannedSeconds, double runningSeconds, double idealSeconds, long good, long scrap) {
        Inputs plus(Inputs other) {
            return new Inputs(plannedSeconds + other.plannedSeconds, runningSeconds + other.runningSeconds,
                    idealSeconds + other.idealSeconds, good + other.good, scrap + other.scrap);
        }

        static final Inputs NONE = new Inputs(0, 0, 0, 0, 0);
    }

    /** The answer: fractions 0..1 (performance may exceed 1 when the ideal cycle time is set too slow), null when undefined. */
    record Oee(Double availability, Double performance, Double quality, Double oee, Inputs inputs) {}

    /**
     * The inputs of one machine.
     *
     * @param planned the planned intervals, sorted, not overlapping
     * @param states the machine's state changes sorted by time, including the last one before the first interval
     * @param counts the machine's counts (only those inside a planned interval count)
     * @param idealCycleTime ideal seconds per part for an order id (null order: the asset's)
     */
    static Inputs inputs(List<Interval> planned, List<StateChange> states, List<Count> counts, Function<String, Double> idealCycleTime) {
        double plannedSeconds = 0;
        double runningSeconds = 0;
        for (Interval interval : planned) {
            plannedSeconds += interval.length().toMillis() / 1000.0;
            for (int i = 0; i < states.size(); i++) {
                StateChange change = states.get(i);
                Instant from = change.time();
                Instant until = i + 1 < states.size() ? states.get(i + 1).time() : interval.end();
                if (!"RUNNING".equals(change.state())) {
                    continue;
                }
                Instant start = from.isAfter(interval.start()) ? from : interval.start();
                Instant end = until.isBefore(interval.end()) ? until : interval.end();
                if (end.isAfter(start)) {
                    runningSeconds += Duration.between(start, end).toMillis() / 1000.0;
                }
            }
        }
        long good = 0;
        long scrap = 0;
        double idealSeconds = 0;
        for (Count count : counts) {
            if (planned.stream().noneMatch(p -> !count.time().isBefore(p.start()) && count.time().isBefore(p.end()))) {
                continue;
            }
            if ("GOOD".equals(count.counter())) {
                good += count.delta();
            } else if ("SCRAP".equals(count.counter())) {
                scrap += count.delta();
            } else {
                continue;
            }
            idealSeconds += count.delta() * idealCycleTime.apply(count.orderId());
        }
        return new Inputs(plannedSeconds, runningSeconds, idealSeconds, good, scrap);
    }

    /** The ratios of (summed) inputs. */
    static Oee oee(Inputs in) {
        Double availability = in.plannedSeconds() > 0 ? in.runningSeconds() / in.plannedSeconds() : null;
        Double performance = in.runningSeconds() > 0 ? in.idealSeconds() / in.runningSeconds() : null;
        long produced = in.good() + in.scrap();
        Double quality = produced > 0 ? (double) in.good() / produced : null;
        Double oee = availability != null && performance != null && quality != null ? availability * performance * quality : null;
        return new Oee(availability, performance, quality, oee, in);
    }
}
