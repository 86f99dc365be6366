package io.millwright.subscriptions;

import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An ISA-95 asset path filter with MQTT-style wildcards: {@code acme/springfield/assembly/line-1/#}
 * (line 1 and everything below it), {@code acme/+/assembly/+/machine-1} (one level each), {@code #}
 * (everything). Turned into an Artemis filter expression over the asset level properties the hub
 * sets on every event message ({@link MessageHeaders#ASSET_DEPTH}, {@code mw_asset_1..n}), so the
 * broker selects the events and a subscriber's queue only ever holds what it asked for.
 */
final class AssetFilter {

    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final List<String> levels;

    private AssetFilter(List<String> levels) {
        this.levels = levels;
    }

    /** Parses and checks a filter; a bad one throws naming the field {@code assetFilter} and the reason. */
    static AssetFilter parse(String text) {
        InvalidEventException.required("assetFilter", text);
        String[] parts = text.split("/", -1);
        List<String> levels = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("#")) {
                if (i != parts.length - 1) {
                    throw InvalidEventException.field("assetFilter", text, "'#' is allowed only as the last level");
                }
            } else if (!part.equals("+") && !LEVEL.matcher(part).matches()) {
                throw InvalidEventException.field("assetFilter", text, "level " + (i + 1) + " '" + part
                        + "' must be '+', '#' or a name of letters, digits, '.', '_' and '-'");
            }
            levels.add(part);
        }
        return new AssetFilter(List.copyOf(levels));
    }

    /** Whether an asset path matches (MQTT semantics: {@code a/#} matches {@code a} too). */
    boolean matches(String assetPath) {
        if (assetPath == null) {
            return false;
        }
        String[] path = assetPath.split("/");
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= path.length || (!level.equals("+") && !level.equals(path[i]))) {
                return false;
            }
        }
        return path.length == levels.size();
    }

    /**
     * The Artemis filter expression selecting the matching event messages, or {@code null} for
     * {@code #} (every message).
     */
    String artemisFilter() {
        List<String> conditions = new ArrayList<>();
        boolean open = levels.get(levels.size() - 1).equals("#");
        int fixed = open ? levels.size() - 1 : levels.size();
        for (int i = 0; i < fixed; i++) {
            String property = MessageHeaders.ASSET_LEVEL_PREFIX + (i + 1);
            String level = levels.get(i);
            conditions.add(level.equals("+") ? property + " IS NOT NULL" : property + " = '" + level + "'");
        }
        if (!open) {
            conditions.add(MessageHeaders.ASSET_DEPTH + " = " + fixed);
        } else if (fixed > 0) {
            conditions.add(MessageHeaders.ASSET_DEPTH + " >= " + fixed);
        }
        return conditions.isEmpty() ? null : String.join(" AND ", conditions);
    }
}
