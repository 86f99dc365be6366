package io.millwright.ot.opcua;

import java.util.Map;

/** Told the variables browse discovery has subscribed, each time the set changes. */
@FunctionalInterface
public interface DiscoveryListener {

    /** Ignores discoveries (they are still logged and counted in the health details). */
    DiscoveryListener NONE = nodes -> {};

    /** @param nodes every discovered variable now subscribed: node id (as readings carry it) to browse path */
    void onDiscovered(Map<String, String> nodes);
}
