package io.millwright.ops;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which Camel components a file in {@code routes/} may use ({@code millwright.routes.allowed-components}).
 * An entry {@code name} allows the component anywhere; {@code name:consume} only as a route's
 * {@code from:} (the default {@code file:consume} reads files but never writes them). Everything
 * else is refused when the file is validated, so a route file cannot reach the database
 * ({@code sql:}, {@code jdbc:}), run programs ({@code exec:}) or write files unless an integrator
 * added the component to the list.
 */
final class ComponentAllowList {

    /** The default list: messaging, timers, the hub's own endpoints, mappings; file only read. */
    static final List<String> DEFAULT = List.of(
            "direct", "seda", "timer", "scheduler", "log", "mock", "kamelet", "jms", "kafka", "paho-mqtt5",
            "bean", "jsonata", "json-validator", "http", "https", "file:consume");

    private static final String CONSUME_ONLY = ":consume";

    private final Set<String> anywhere = new LinkedHashSet<>();
    private final Set<String> consumeOnly = new LinkedHashSet<>();

    ComponentAllowList(List<String> entries) {
        for (String entry : entries) {
            String name = entry.trim().toLowerCase(Locale.ROOT);
            if (name.endsWith(CONSUME_ONLY)) {
                consumeOnly.add(name.substring(0, name.length() - CONSUME_ONLY.length()));
            } else if (!name.isEmpty()) {
                anywhere.add(name);
            }
        }
    }

    /**
     * Why the component may not be used so, or null when it may.
     *
     * @param scheme   the endpoint's component, e.g. {@code sql}
     * @param consumer true for a route's {@code from:}, false for a step that sends
     */
    String refusal(String scheme, boolean consumer) {
        String name = scheme.toLowerCase(Locale.ROOT);
        if (anywhere.contains(name) || (consumer && consumeOnly.contains(name))) {
            return null;
        }
        if (consumeOnly.contains(name)) {
            return "component '" + scheme + "' may only be consumed from ('from:') in route files; to send to it"
                    + " add '" + name + "' to millwright.routes.allowed-components";
        }
        return "component '" + scheme + "' is not allowed in route files (allowed: " + describe()
                + "); an integrator allows it by adding it to millwright.routes.allowed-components";
    }

    String describe() {
        List<String> shown = new java.util.ArrayList<>(anywhere);
        consumeOnly.forEach(name -> shown.add(name + CONSUME_ONLY));
        return String.join(", ", shown);
    }
}
