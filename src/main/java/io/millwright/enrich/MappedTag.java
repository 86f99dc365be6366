package io.millwright.enrich;

import io.millwright.model.MachineState;
import java.util.Map;

/**
 * A node's registry entry and, for a state tag, its value map (source code -> machine state;
 * empty = the source reports the state names themselves).
 */
record MappedTag(AssetTag tag, Map<String, MachineState> states) {}
