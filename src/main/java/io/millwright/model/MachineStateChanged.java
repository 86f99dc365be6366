package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A machine changed its state; {@code previousState} is null for the first state the hub saw. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineStateChanged(MachineState state, MachineState previousState, String orderId, String operation) {

    public MachineStateChanged {
        InvalidEventException.required("state", state);
    }
}
