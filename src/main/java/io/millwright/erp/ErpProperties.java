package io.millwright.erp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 * @param relayBatchSize most confirmations the relay handles in one poll
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
        @DefaultValue("50") int relayBatchSize) {

    @Override
    public String toString() {
        // never print the password
        return "ErpProperties[baseUrl=" + baseUrl + ", username=" + username + ", sapClient=" + sapClient
                + ", requestTimeout=" + requestTimeout + "]";
    }
}
