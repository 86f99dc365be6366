package io.millwright.ot;

import io.millwright.ot.opcua.HandoffSettings;
import io.millwright.ot.opcua.HandoffSettings.WhenFull;
import io.millwright.ot.opcua.SubscriptionSettings;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.PropertyResolver;

/**
 * Typed values of one connection file: each read resolves placeholders and, when the value is
 * wrong, fails with the file, the full key ({@code groups[1].queue-size}) and what was found.
 */
final class ConnectionFileValues {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    private final Path file;
    private final PropertyResolver resolver;

    ConnectionFileValues(Path file, PropertyResolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    InvalidConnectionFileException invalid(String key, String reason) {
        return new InvalidConnectionFileException(file, key, reason);
    }

    String resolve(String key, String value) {
        try {
            return resolver.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectionFileException(file, key, e.getMessage(), e);
        }
    }

    /** A single value as a trimmed string with placeholders resolved; null when absent or blank. */
    String string(Map<?, ?> map, String prefix, String name) {
        Object raw = map.get(name);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw invalid(prefix + name, "must be a single value");
        }
        String value = resolve(prefix + name, String.valueOf(raw)).trim();
        return value.isEmpty() ? null : value;
    }

    boolean bool(Map<?, ?> map, String prefix, String name, boolean defaultValue) {
        String value = string(map, prefix, name);
        if (value == null) {
            return defaultValue;
        }
        if (!"true".equals(value) && !"false".equals(value)) {
            throw invalid(prefix + name, "must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    int wholeNumber(Map<?, ?> map, String prefix, String name, int min, int defaultValue) {
        String value = string(map, prefix, name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the key and the value
        }
        throw invalid(prefix + name, "must be a whole number >= " + min + ", was '" + value + "'");
    }

    /** {@code 100ms}, {@code 1s}, {@code 2m}, {@code 1h}; a bare number is refused (which unit?). */
    Duration duration(Map<?, ?> map, String prefix, String name, Duration defaultValue) {
        String value = string(map, prefix, name);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw invalid(prefix + name, "must be a duration with its unit, e.g. 100ms, 1s or 2m, was '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The subscription settings of {@code map}, each key absent from it taken from {@code inherited}. */
    SubscriptionSettings settings(Map<?, ?> map, String prefix, SubscriptionSettings inherited) {
        Duration sampling = duration(map, prefix, "sampling-interval", inherited.samplingInterval());
        Duration publishing = duration(map, prefix, "publishing-interval", inherited.publishingInterval());
        if (publishing.isZero()) {
            throw invalid(prefix + "publishing-interval", "must be longer than 0, e.g. 1s");
        }
        int queueSize = wholeNumber(map, prefix, "queue-size", 1, inherited.queueSize());
        boolean discardOldest = bool(map, prefix, "discard-oldest", inherited.discardOldest());
        Deadband deadband = deadband(map, prefix, inherited.deadband());
        int staleAfter = wholeNumber(map, prefix, "stale-after", 0, inherited.staleAfter());
        return new SubscriptionSettings(sampling, publishing, queueSize, discardOldest, deadband, staleAfter);
    }

    /** {@code none}, {@code {absolute: 0.5}} or {@code {percent: 2}}. */
    Deadband deadband(Map<?, ?> map, String prefix, Deadband defaultValue) {
        String key = prefix + "deadband";
        Object raw = map.get("deadband");
        if (raw == null) {
            return defaultValue;
        }
        if ("none".equals(resolve(key, String.valueOf(raw)).trim())) {
            return Deadband.NONE;
        }
        if (!(raw instanceof Map<?, ?> band) || band.size() != 1) {
            throw invalid(key, "must be none, { absolute: <change> } or { percent: <0-100> }, was '" + raw + "'");
        }
        String type = String.valueOf(band.keySet().iterator().next());
        String value = resolve(key + "." + type, String.valueOf(band.get(type))).trim();
        if (!NUMBER.matcher(value).matches()) {
            throw invalid(key + "." + type, "must be a number >= 0, was '" + value + "'");
        }
        double amount = Double.parseDouble(value);
        return switch (type) {
            case "absolute" -> new Deadband(Deadband.Type.ABSOLUTE, amount);
            case "percent" -> {
                if (amount > 100) {
                    throw invalid(key + ".percent", "must be between 0 and 100 (percent of the node's EURange), was '" + value + "'");
                }
                yield new Deadband(Deadband.Type.PERCENT, amount);
            }
            default -> throw invalid(key + "." + type, "is not a deadband type; use absolute or percent");
        };
    }

    /** The {@code hand-off} mapping; absent keys take the defaults. */
    HandoffSettings handoff(Map<?, ?> root) {
        Object raw = root.get("hand-off");
        if (raw == null) {
            return HandoffSettings.DEFAULTS;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw invalid("hand-off", "must be a mapping with capacity, when-full, max-batch and workers");
        }
        for (Object k : map.keySet()) {
            if (!List.of("capacity", "when-full", "max-batch", "workers").contains(String.valueOf(k))) {
                throw invalid("hand-off." + k, "is not a known key; known keys: capacity, when-full, max-batch, workers");
            }
        }
        HandoffSettings defaults = HandoffSettings.DEFAULTS;
        int capacity = wholeNumber(map, "hand-off.", "capacity", 1, defaults.capacity());
        int maxBatch = wholeNumber(map, "hand-off.", "max-batch", 1, defaults.maxBatch());
        int workers = wholeNumber(map, "hand-off.", "workers", 1, defaults.workers());
        if (workers > HandoffSettings.MAX_WORKERS) {
            throw invalid("hand-off.workers", "must be at most " + HandoffSettings.MAX_WORKERS + ", was " + workers);
        }
        String whenFull = string(map, "hand-off.", "when-full");
        WhenFull policy = defaults.whenFull();
        if (whenFull != null) {
            policy = switch (whenFull) {
                case "block" -> WhenFull.BLOCK;
                case "drop-oldest" -> WhenFull.DROP_OLDEST;
                default -> throw invalid("hand-off.when-full", "must be block or drop-oldest, was '" + whenFull + "'");
            };
        }
        return new HandoffSettings(capacity, policy, maxBatch, workers);
    }
}
