package io.millwright.erp;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Connection to the ERP ({@code millwright.erp.*}).
 *
 * @param baseUrl service root of API_PROD_ORDER_CONFIRMATION_2_SRV
 * @param username SAP communication user
 * @param password its password; secret (from MILLWRIGHT_ERP_PASSWORD), never logged
 * @param sapClient SAP client (Mandant), sent as {@code sap-client}; blank = the system's default
 * @param confirmationWindow counts per order operation are summed over this window, then posted
 * @param requestTimeout one HTTP call to the ERP
 * @param relayInterval how often the relay looks for pending confirmations
 * @param retryBackoff wait after the first failed attempt; doubles with every further one
 * @param maxRetryBackoff the longest wait between attempts while the ERP is unavailable
 * @param relayBatchSize most orders the relay handles in one poll (the oldest pending row of each)
 * @param processingTimeout how long SAP may still be working on a POST whose answer the hub did not
 *        get: no read-back before this has passed since the POST; longer than {@code requestTimeout}
 * @param claimLease how long a relay holds its claim on a row while it posts; another relay (a second
 *        hub on the same database) takes the row only after that, and then reads it back first
 * @param plantTimeZone zone of the plant's posting date (the day a confirmation is booked on in SAP);
 *        null = the JVM's
 * @param siteTimeZones per ISA-95 site (second part of the asset path), a zone that overrides {@code plantTimeZone}
 * @param postBatchSize confirmations posted in one OData {@code $batch} request (one changeset each);
 *        1 (the default) posts each alone
 * @param relayEnabled whether this hub relays its outbox to SAP (route {@code erp-confirmation-relay}); unset, it
 *        follows {@code confirmedBy} (on for {@code this-hub}, off for {@code central}). Off with {@code this-hub},
 *        confirmations wait in the outbox, PENDING, until a hub with the relay on the same database posts them
 * @param confirmedBy who posts the production counts this hub books to SAP: {@code this-hub} (the default; the
 *        all-in-one and central hubs, or an edge that reaches SAP itself) runs the confirmation window over its
 *        ledger; {@code central} (the edge profile) runs neither window nor relay: the central hub books the
 *        production-count events this edge forwards and confirms them, so no count waits PENDING here and none
 *        reaches SAP twice
 */
@Validated
@ConfigurationProperties("millwright.erp")
public record ErpProperties(
        @NotBlank String baseUrl,
        String username,
        String password,
        @Pattern(regexp = "|\\d{3}", message = "must be a three-digit SAP client, e.g. 100") String sapClient,
        @DefaultValue("10s") @NotNull Duration confirmationWindow,
        @DefaultValue("10s") @NotNull Duration requestTimeout,
        @DefaultValue("2s") @NotNull Duration relayInterval,
        @DefaultValue("2s") @NotNull Duration retryBackoff,
        @DefaultValue("5m") @NotNull Duration maxRetryBackoff,
        @DefaultValue("50") int relayBatchSize,
        @DefaultValue("60s") Duration processingTimeout,
        @DefaultValue("2m") Duration claimLease,
        ZoneId plantTimeZone,
        Map<String, ZoneId> siteTimeZones,
        @DefaultValue("1") @Min(1) @Max(100) int postBatchSize,
        Boolean relayEnabled,
        @DefaultValue("this-hub") @NotNull ConfirmedBy confirmedBy) {

    /** Who posts a hub's production counts to SAP ({@code millwright.erp.confirmed-by}). */
    public enum ConfirmedBy {
        /** This hub: its confirmation window sums its ledger into confirmations, its relay posts them. */
        THIS_HUB,
        /** The central hub this edge forwards to: it books the forwarded production-count events and confirms them. */
        CENTRAL
    }

    @ConstructorBinding
    public ErpProperties {
        if (confirmedBy == null) {
            confirmedBy = ConfirmedBy.THIS_HUB;
        }
        if (relayEnabled == null) {
            relayEnabled = confirmedBy == ConfirmedBy.THIS_HUB;
        }
        if (processingTimeout == null) {
            processingTimeout = Duration.ofSeconds(60);
        }
        if (claimLease == null) {
            claimLease = Duration.ofMinutes(2);
        }
        siteTimeZones = siteTimeZones == null ? Map.of() : Map.copyOf(siteTimeZones);
        if (requestTimeout != null && processingTimeout.compareTo(requestTimeout) <= 0) {
            throw new IllegalArgumentException("millwright.erp.processing-timeout=" + processingTimeout
                    + " must be longer than millwright.erp.request-timeout=" + requestTimeout
                    + ": SAP may still commit a POST after the hub stopped waiting for its answer");
        }
        if (requestTimeout != null && claimLease.compareTo(requestTimeout.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("millwright.erp.claim-lease=" + claimLease
                    + " must be longer than twice millwright.erp.request-timeout=" + requestTimeout
                    + " (a CSRF fetch and a POST), or a second relay could take a row that is still being posted");
        }
    }

    /** The settings with the relay on. */
    public ErpProperties(String baseUrl, String username, String password, String sapClient, Duration confirmationWindow,
            Duration requestTimeout, Duration relayInterval, Duration retryBackoff, Duration maxRetryBackoff, int relayBatchSize,
            Duration processingTimeout, Duration claimLease, ZoneId plantTimeZone, Map<String, ZoneId> siteTimeZones,
            int postBatchSize) {
        this(baseUrl, username, password, sapClient, confirmationWindow, requestTimeout, relayInterval, retryBackoff,
                maxRetryBackoff, relayBatchSize, processingTimeout, claimLease, plantTimeZone, siteTimeZones, postBatchSize, true,
                ConfirmedBy.THIS_HUB);
    }

    /** The settings without {@code $batch} (each confirmation posted alone). */
    public ErpProperties(String baseUrl, String username, String password, String sapClient, Duration confirmationWindow,
            Duration requestTimeout, Duration relayInterval, Duration retryBackoff, Duration maxRetryBackoff, int relayBatchSize,
            Duration processingTimeout, Duration claimLease, ZoneId plantTimeZone, Map<String, ZoneId> siteTimeZones) {
        this(baseUrl, username, password, sapClient, confirmationWindow, requestTimeout, relayInterval, retryBackoff,
                maxRetryBackoff, relayBatchSize, processingTimeout, claimLease, plantTimeZone, siteTimeZones, 1);
    }

    /** Whether this hub's confirmation window sums its ledger into confirmations (route {@code erp-confirmation-window}). */
    public boolean confirmsOwnCounts() {
        return confirmedBy == ConfirmedBy.THIS_HUB;
    }

    /** The zone the posting date of a confirmation from this asset is taken in. */
    public ZoneId postingZone(String assetPath) {
        if (assetPath != null) {
            String[] parts = assetPath.split("/");
            if (parts.length > 1 && siteTimeZones.containsKey(parts[1])) {
                return siteTimeZones.get(parts[1]);
            }
        }
        return plantTimeZone != null ? plantTimeZone : ZoneId.systemDefault();
    }

    @Override
    public String toString() {
        // never print the password
        return "ErpProperties[baseUrl=" + baseUrl + ", username=" + username + ", sapClient=" + sapClient
                + ", requestTimeout=" + requestTimeout + ", processingTimeout=" + processingTimeout + ", claimLease=" + claimLease
                + ", plantTimeZone=" + plantTimeZone + ", siteTimeZones=" + siteTimeZones + ", postBatchSize=" + postBatchSize + ", relayEnabled=" + relayEnabled + ", confirmedBy=" + confirmedBy + "]";
    }
}
