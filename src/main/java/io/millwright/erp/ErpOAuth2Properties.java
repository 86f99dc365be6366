package io.millwright.erp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OAuth2 client credentials for the ERP ({@code millwright.erp.oauth2.*}), as SAP BTP and S/4HANA
 * Cloud communication arrangements offer them. With a {@code tokenUrl} the hub fetches an access
 * token (grant type {@code client_credentials}, client authenticated with HTTP Basic as RFC 6749
 * §2.3.1 says), sends it as {@code Authorization: Bearer}, keeps it until shortly before it expires
 * and fetches a new one once when the ERP answers 401. Without a {@code tokenUrl} the hub logs on
 * with {@code millwright.erp.username}/{@code password} (HTTP Basic).
 *
 * @param tokenUrl the authorization server's token endpoint; blank = basic authentication
 * @param clientId the OAuth2 client id
 * @param clientSecret its secret; from MILLWRIGHT_ERP_CLIENT_SECRET, never logged
 * @param scope scopes to ask for, space separated; blank = the client's default
 * @param refreshBeforeExpiry a token is replaced this long before it expires (at the latest half-way through its life)
 */
@ConfigurationProperties("millwright.erp.oauth2")
public record ErpOAuth2Properties(
        String tokenUrl,
        String clientId,
        String clientSecret,
        String scope,
        @DefaultValue("60s") Duration refreshBeforeExpiry) {

    public ErpOAuth2Properties {
        refreshBeforeExpiry = refreshBeforeExpiry == null ? Duration.ofSeconds(60) : refreshBeforeExpiry;
        if (tokenUrl != null && !tokenUrl.isBlank()) {
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("millwright.erp.oauth2.client-id is blank but millwright.erp.oauth2.token-url="
                        + tokenUrl + " is set: give the OAuth2 client id of the ERP's communication arrangement");
            }
            if (clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("millwright.erp.oauth2.client-secret is blank but millwright.erp.oauth2.token-url="
                        + tokenUrl + " is set: set MILLWRIGHT_ERP_CLIENT_SECRET");
            }
        }
    }

    /** Whether the hub logs on to the ERP with OAuth2 client credentials instead of Basic. */
    public boolean enabled() {
        return tokenUrl != null && !tokenUrl.isBlank();
    }

    @Override
    public String toString() {
        // never print the secret
        return "ErpOAuth2Properties[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", scope=" + scope
                + ", refreshBeforeExpiry=" + refreshBeforeExpiry + "]";
    }
}
