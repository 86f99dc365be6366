package io.millwright.sim.plant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the simulated plant, {@code millwright.sim.opcua.*}.
 *
 * @param enabled run the simulator (default true)
 * @param port TCP port of the OPC UA server (default 4840, the IANA port for OPC UA)
 * @param bindAddress address the server listens on (default 127.0.0.1)
 * @param advertisedHost host name the server puts into its endpoint descriptions; default the
 *     bind address. Set it to a name clients cannot resolve to exercise {@code override-host}.
 * @param lines number of production lines (default 2)
 * @param machinesPerLine machines on each line (default 3); machine M of line L runs order 10000LM
 * @param operation operation every machine runs (default "0010")
 * @param tick how often machine values advance (default 500ms)
 * @param startPaused start with frozen values; {@link PlantSimulator#resume()} starts them
 * @param seed base seed of the per-machine random generators; unset = a new seed per run (logged)
 * @param orders order id per machine, keyed {@code "<line>.<machine>"}, overriding 10000LM
 * @param connect the hub connects to the simulated plant (the connection file
 *     {@code adapters/opcua/plant-sim.yaml}); unset = as {@code enabled}. The edge profile runs no plant in
 *     its own process ({@code enabled: false}) and connects to one started apart ({@code scripts/millwright-sim})
 */
@Validated
@ConfigurationProperties("millwright.sim.opcua")
public record PlantSimulatorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("4840") @Min(1) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        String advertisedHost,
        @DefaultValue("2") @Min(1) @Max(9) int lines,
        @DefaultValue("3") @Min(1) @Max(9) int machinesPerLine,
        @DefaultValue("0010") @NotBlank String operation,
        @DefaultValue("500ms") @NotNull Duration tick,
        @DefaultValue("false") boolean startPaused,
        Long seed,
        Map<@Pattern(regexp = "[1-9]\\.[1-9]") String, @NotBlank String> orders,
        Boolean connect) {

    /** The settings without {@code connect} (as {@code enabled}): what code that starts a simulator passes. */
    public PlantSimulatorProperties(boolean enabled, int port, String bindAddress, String advertisedHost, int lines,
            int machinesPerLine, String operation, Duration tick, boolean startPaused, Long seed, Map<String, String> orders) {
        this(enabled, port, bindAddress, advertisedHost, lines, machinesPerLine, operation, tick, startPaused, seed, orders, null);
    }

    @ConstructorBinding
    public PlantSimulatorProperties {
        if (advertisedHost == null || advertisedHost.isBlank()) {
            advertisedHost = bindAddress;
        }
        orders = orders == null ? Map.of() : Map.copyOf(orders);
        connect = connect == null ? enabled : connect;
        if (tick != null && (tick.isZero() || tick.isNegative())) {
            throw new IllegalArgumentException("millwright.sim.opcua.tick: must be positive, was " + tick);
        }
    }

    /** The order machine {@code machine} of line {@code line} runs: 10000LM unless overridden. */
    public String orderFor(int line, int machine) {
        return orders.getOrDefault(line + "." + machine, "10000" + line + machine);
    }
}
