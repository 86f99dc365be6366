package io.millwright.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Streaming anomaly detection on a measurement (vibration, temperature) per machine and tag:
 * an EWMA baseline per machine state and a z-score.
 *
 * <ol>
 *   <li><b>Baseline per state</b>: a machine vibrates differently running and standing, so each
 *       (asset, tag, machine state) has its own mean and variance; after a state change the samples
 *       of the first {@code settle} (the start-up ramp) are neither scored nor learned.
 *   <li><b>Warm-up</b>: the first {@code warmup} samples of a baseline learn mean and variance
 *       (Welford); they are never anomalous.
 *   <li><b>Score</b>: {@code z = (x - mean) / s} with {@code s = max(minStd, min(std, maxRelStd * |mean|))}:
 *       the spread is floored (a very steady signal would make every wobble anomalous) and capped at
 *       a fraction of the level (a baseline learned while the value was already climbing would
 *       otherwise be so wide that the climb hides in it). Only an upward deviation counts
 *       ({@code z >= threshold}): the failures looked for make vibration and temperature climb.
 *   <li><b>Learning</b>: a normal sample updates the baseline as an exponentially weighted moving
 *       average, {@code mean += alpha (x - mean)}, {@code var = (1 - alpha) (var + alpha (x - mean)^2)};
 *       an anomalous one does not, so a drift cannot drag the baseline along and hide itself (a plain
 *       EWMA z-score on a ramp settles near 2, below any useful threshold).
 *   <li><b>Maintenance request</b>: once per streak, when samples of the tag have been anomalous
 *       without a break for {@code holdFor}; <b>cleared</b> after {@code clearAfter} of normal scored
 *       samples in the state it was raised in (a degrading machine standing idle is not repaired;
 *       a repaired one running smoothly is).
 * </ol>
 *
 * Why this and not a model from a library: a few numbers per tag and state, explainable to a
 * maintenance planner ("4.3 standard deviations above its running level for 2 s"), no training
 * data, and tested against the simulated plant's own breakdowns (SimulatedDriftAnomalyTest).
 */
public final class AnomalyDetector {

    /**
     * @param alpha EWMA weight of a new normal sample (0..1)
     * @param threshold z-score from which a sample is anomalous
     * @param warmup samples that learn a new baseline
     * @param minStd floor of the standard deviation (a very steady signal would make every wobble "anomalous")
     * @param maxRelStd ceiling of the standard deviation as a fraction of the baseline's level
     * @param settle after a state change, samples this long are neither scored nor learned
     * @param holdFor how long a streak of anomalous samples lasts before a maintenance request
     * @param clearAfter how long samples are normal again before a request is cleared
     */
    public record Settings(double alpha, double threshold, int warmup, double minStd, double maxRelStd, Duration settle,
            Duration holdFor, Duration clearAfter) {
        public Settings {
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("alpha must be between 0 and 1, was " + alpha);
            }
            if (!(threshold > 0) || warmup < 2 || !(minStd > 0) || !(maxRelStd > 0)) {
                throw new IllegalArgumentException("threshold, min-std and max-rel-std must be > 0 and warmup >= 2");
            }
        }
    }

    /**
     * What one sample gave.
     *
     * @param score the z-score (0 while settling or warming up)
     * @param anomalous whether the sample is anomalous
     * @param anomalousSince start of the current streak of anomalous samples, or null
     * @param maintenanceRequested true on the one sample that opens a maintenance request
     * @param cleared true on the one sample that clears an open request
     */
    public record Verdict(double value, double score, double mean, double std, boolean anomalous, Instant anomalousSince,
            boolean maintenanceRequested, boolean cleared) {}

    private static final class Baseline {
        long n;
        double mean;
        double var;
    }

    private static final class Streak {
        Instant anomalousSince;
        Instant normalSince;
        boolean requestOpen;
        String requestState;
    }

    private record AssetState(String state, Instant settleUntil) {}

    private final Settings settings;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, Streak> streaks = new HashMap<>();
    private final Map<String, AssetState> states = new HashMap<>();

    public AnomalyDetector(Settings settings) {
        this.settings = settings;
    }

    /** The machine changed state at {@code time}: its next samples are scored against that state's baseline, after settling. */
    public synchronized void stateChanged(String asset, String state, Instant time) {
        states.put(asset, new AssetState(state, time.plus(settings.settle())));
    }

    /** Takes one sample of an asset's tag. */
    public synchronized Verdict observe(String asset, String tag, Instant time, double value) {
        String series = asset + '|' + tag;
        Streak streak = streaks.computeIfAbsent(series, k -> new Streak());
        AssetState state = states.get(asset);
        String stateName = state == null ? "" : state.state();
        if (state != null && time.isBefore(state.settleUntil())) {
            streak.anomalousSince = null;
            return new Verdict(value, 0, Double.NaN, Double.NaN, false, null, false, false);
        }
        Baseline b = baselines.computeIfAbsent(series + '|' + stateName, k -> new Baseline());
        if (b.n < settings.warmup()) {
            b.n++;
            double delta = value - b.mean;
            b.mean += delta / b.n;
            b.var += (delta * (value - b.mean) - b.var) / b.n; // population variance, Welford
            streak.anomalousSince = null;
            return new Verdict(value, 0, b.mean, Math.sqrt(b.var), false, null, false, false);
        }
        double std = Math.max(Math.min(Math.sqrt(b.var), settings.maxRelStd() * Math.abs(b.mean)), settings.minStd());
        double score = (value - b.mean) / std;
        if (score >= settings.threshold()) {
            streak.normalSince = null;
            if (streak.anomalousSince == null) {
                streak.anomalousSince = time;
            }
            boolean requested = false;
            if (!streak.requestOpen && !time.isBefore(streak.anomalousSince.plus(settings.holdFor()))) {
                streak.requestOpen = true;
                streak.requestState = stateName;
                requested = true;
            }
            return new Verdict(value, score, b.mean, std, true, streak.anomalousSince, requested, false);
        }
        boolean cleared = normal(streak, stateName, time);
        double d = value - b.mean;
        b.mean += settings.alpha() * d;
        b.var = (1 - settings.alpha()) * (b.var + settings.alpha() * d * d);
        return new Verdict(value, score, b.mean, std, false, null, false, cleared);
    }

    /**
     * A normal scored sample: ends a streak; clears an open request after {@code clearAfter} of
     * normal samples in the state the request was raised in (a degrading machine that stands idle
     * a while is not repaired).
     */
    private boolean normal(Streak streak, String stateName, Instant time) {
        streak.anomalousSince = null;
        if (!streak.requestOpen || !stateName.equals(streak.requestState)) {
            streak.normalSince = null;
            return false;
        }
        if (streak.normalSince == null) {
            streak.normalSince = time;
        }
        if (!time.isBefore(streak.normalSince.plus(settings.clearAfter()))) {
            streak.requestOpen = false;
            streak.normalSince = null;
            return true;
        }
        return false;
    }

    /** The state the machine was last reported in, or null. */
    public synchronized String stateOf(String asset) {
        AssetState state = states.get(asset);
        return state == null ? null : state.state();
    }

    /** Whether an asset's tag has a maintenance request open. */
    public synchronized boolean requestOpen(String asset, String tag) {
        Streak streak = streaks.get(asset + '|' + tag);
        return streak != null && streak.requestOpen;
    }
}
