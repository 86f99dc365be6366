package io.millwright.model;

import java.util.Locale;

/** The state of a machine as the hub publishes it; source values are matched case-insensitively. */
public enum MachineState {
    RUNNING,
    IDLE,
    DOWN,
    SETUP;

    public static MachineState parse(String field, Object value) {
        if (value == null) {
            throw InvalidEventException.field(field, null, "is required");
        }
        try {
            return valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field(field, value, "is not a machine state (running, idle, down, setup)");
        }
    }
}
