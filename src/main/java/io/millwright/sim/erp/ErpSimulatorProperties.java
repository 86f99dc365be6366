package io.millwright.sim.erp;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the simulated SAP ERP ({@code millwright.sim.erp.*}).
 *
 * @param enabled whether the simulator runs in this hub
 * @param port HTTP port of the OData service; 0 picks a free one
 * @param bindAddress address the HTTP listener binds to
 * @param username the one user the simulator accepts (Basic authentication)
 * @param password that user's password; secret, from the environment
 * @param csrfTokenLifetime how long a fetched CSRF token stays valid
 * @param releasedOrders orders that may be confirmed; empty = the orders the simulated plant runs
 */
@Validated
@ConfigurationProperties("millwright.sim.erp")
public record ErpSimulatorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("8090") @Min(0) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("millwright") @NotBlank String username,
        String password,
        @DefaultValue("30m") @NotNull Duration csrfTokenLifetime,
        @Valid List<ReleasedOrder> releasedOrders) {

    public ErpSimulatorProperties {
        releasedOrders = releasedOrders == null ? List.of() : List.copyOf(releasedOrders);
    }

    @Override
    public String toString() {
        // never print the password
        return "ErpSimulatorProperties[enabled=" + enabled + ", port=" + port + ", bindAddress=" + bindAddress
                + ", username=" + username + ", releasedOrders=" + releasedOrders.size() + "]";
    }

    /**
     * A released production order the simulator accepts confirmations for.
     *
     * @param orderId order number (up to 12 characters)
     * @param operations its operations, e.g. {@code 0010}
     * @param unit the unit of measure confirmations must use, e.g. {@code PC}
     * @param plant plant (4 characters)
     * @param workCenter work center (up to 8 characters)
     */
    public record ReleasedOrder(
            @NotBlank String orderId,
            @NotEmpty List<String> operations,
            @DefaultValue("PC") @NotBlank String unit,
            @DefaultValue("1010") String plant,
            String workCenter) {

        public ReleasedOrder {
            operations = List.copyOf(operations);
        }
    }
}
