package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A signal's tag by its registry name ({@code temperature}): the {@code name} the telemetry path
 * put into the signal event from the hub's one asset registry (a tag's {@code name:} or the asset
 * rule that resolved it). A signal without one (written before the name was carried) is known by
 * the last part of its node id, as the registry names a tag it has no name for.
 */
final class TagNames {

    private TagNames() {}

    /** The registry name of the signal whose {@code data} this is, or null when it names no tag. */
    static String nameOf(JsonNode signalData) {
        String name = signalData.path("name").asText("");
        if (!name.isBlank()) {
            return name;
        }
        String node = signalData.path("tag").asText(null);
        return node == null ? null : lastPart(node);
    }

    static String lastPart(String nodeId) {
        int cut = Math.max(nodeId.lastIndexOf('.'), Math.max(nodeId.lastIndexOf('='), nodeId.lastIndexOf('/')));
        return cut >= 0 ? nodeId.substring(cut + 1) : nodeId;
    }
}
