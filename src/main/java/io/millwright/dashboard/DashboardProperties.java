package io.millwright.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dashboard and the live feeds, {@code millwright.dashboard.*}.
 *
 * @param clientBuffer events held for one live client before it is told to reload (a client that
 *     reads slower than the plant changes loses its own updates, never the plant's pace)
 * @param maxClients live connections at once (dashboards and asset-feed clients together); one more
 *     is answered 503
 * @param streamTimeout how long one event stream stays open; browsers reconnect by themselves
 * @param heartbeat how often an idle stream gets a comment line, which also finds closed clients
 * @param confirmations how many of the last ERP confirmations the dashboard lists
 */
@Validated
@ConfigurationProperties("millwright.dashboard")
public record DashboardProperties(
        @DefaultValue("256") @Min(8) @Max(100000) int clientBuffer,
        @DefaultValue("32") @Min(1) @Max(1000) int maxClients,
        @DefaultValue("30m") @NotNull Duration streamTimeout,
        @DefaultValue("20s") @NotNull Duration heartbeat,
        @DefaultValue("8") @Min(1) @Max(100) int confirmations) {}
