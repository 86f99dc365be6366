package io.millwright.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --key value} (or {@code --key=value}, or a bare {@code --flag}) arguments of the
 * benchmark's mains. An unknown key fails with the list of known ones, so a typo never silently
 * runs the default.
 */
final class BenchArgs {

    private final String program;
    private final Map<String, String> values = new HashMap<>();

    private BenchArgs(String program) {
        this.program = program;
    }

    /**
     * @param flags keys that take no value ({@code --legacy-hub-connection-file})
     * @param keys keys that take a value
     */
    static BenchArgs parse(String program, String[] args, Set<String> flags, Set<String> keys) {
        BenchArgs parsed = new BenchArgs(program);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw parsed.usage("'" + arg + "' is not an option");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (flags.contains(key)) {
                parsed.values.put(key, value == null ? "true" : value);
            } else if (keys.contains(key)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw parsed.usage("--" + key + " needs a value");
                    }
                    value = args[++i];
                }
                parsed.values.put(key, value);
            } else {
                throw parsed.usage("--" + key + " is not a known option; known: flags " + flags + ", options " + keys);
            }
        }
        return parsed;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    String required(String key) {
        String value = values.get(key);
        if (value == null) {
            throw usage("--" + key + " is required");
        }
        return value;
    }

    int integer(String key, int defaultValue) {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw usage("--" + key + " must be a whole number, was '" + value + "'");
        }
    }

    Duration duration(String key, Duration defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : duration(key, value);
    }

    /** {@code 200ms}, {@code 1s}, {@code 2m}; a bare number is seconds. */
    Duration duration(String key, String text) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw usage("--" + key + " must be a duration like 200ms, 1s or 2m, was '" + text + "'");
        }
    }

    private IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(program + ": " + problem);
    }
}
