package io.millwright.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * An external OpenID Connect provider ({@code millwright.security.oidc.*}): Keycloak, Entra ID or any
 * other. With it on, the REST API (and Jolokia, the actuator) accept the provider's access tokens as
 * {@code Authorization: Bearer} JWTs, checked against the provider's keys (JWKS) and issuer, and the
 * browser may log in at the provider (authorization code with PKCE). The roles come from a claim of
 * the token (API) or of the ID token and userinfo answer (browser), mapped to the hub's roles.
 *
 * @param enabled whether the provider is used at all (default false)
 * @param issuerUri the provider's issuer, e.g. {@code https://sso.example.com/realms/plant}; its
 *     {@code /.well-known/openid-configuration} names the keys and endpoints; required when enabled
 * @param clientId the hub's client at the provider, for the browser login; blank = no browser login
 *     at the provider, bearer tokens only
 * @param clientSecret that client's secret; from {@code MILLWRIGHT_OIDC_CLIENT_SECRET} only; blank =
 *     a public client (PKCE alone)
 * @param roleClaim the claim that holds the roles: a name ({@code roles}, Entra ID's app roles) or a
 *     dotted path into nested objects ({@code realm_access.roles}, Keycloak's realm roles); its value
 *     a list of strings or one string of names separated by spaces or commas
 * @param roleMapping claim value to hub role ({@code viewer}, {@code operator}, {@code integrator},
 *     {@code analyst}, {@code admin}); values not in the map give no role; default: each hub role
 *     maps from its own name
 * @param usernameClaim the claim shown as the user's name (audit log, "acknowledged by"); the
 *     subject ({@code sub}) when the token lacks it
 * @param scopes scopes the browser login asks for
 * @param audiences when not empty, an access token must name one of them in {@code aud}
 * @param clockSkew tolerance for the tokens' {@code exp} and {@code nbf} against this machine's clock
 * @param localUsers whether the local users (admin and the MILLWRIGHT_*_PASSWORD ones) can still log
 *     in, with HTTP Basic and the login form; false only with the provider enabled
 */
@Validated
@ConfigurationProperties("millwright.security.oidc")
public record OidcProperties(
        boolean enabled,
        String issuerUri,
        String clientId,
        String clientSecret,
        @DefaultValue("roles") String roleClaim,
        Map<String, String> roleMapping,
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue({"openid", "profile"}) List<String> scopes,
        List<String> audiences,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue("true") boolean localUsers) {

    private static final String PREFIX = "millwright.security.oidc.";

    /** The hub's roles by their lower-case name, as settings and claims spell them. */
    static final Map<String, String> HUB_ROLES = Map.of(
            "viewer", Roles.VIEWER, "operator", Roles.OPERATOR, "integrator", Roles.INTEGRATOR,
            "analyst", Roles.ANALYST, "admin", Roles.ADMIN);

    public OidcProperties {
        roleClaim = roleClaim == null || roleClaim.isBlank() ? "roles" : roleClaim.strip();
        usernameClaim = usernameClaim == null || usernameClaim.isBlank() ? "preferred_username" : usernameClaim.strip();
        scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile") : List.copyOf(scopes);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        roleMapping = roleMapping == null || roleMapping.isEmpty() ? defaultMapping() : checkedMapping(roleMapping);
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "clock-skew must not be negative, was " + clockSkew);
        }
        if (enabled) {
            if (issuerUri == null || issuerUri.isBlank()) {
                throw new IllegalArgumentException(PREFIX + "issuer-uri is blank but " + PREFIX + "enabled=true: give the"
                        + " provider's issuer, e.g. https://sso.example.com/realms/plant (Keycloak) or"
                        + " https://login.microsoftonline.com/<tenant>/v2.0 (Entra ID)");
            }
            if (!issuerUri.startsWith("https://") && !issuerUri.startsWith("http://")) {
                throw new IllegalArgumentException(PREFIX + "issuer-uri '" + issuerUri + "' is not an http(s) URL");
            }
            if (clientId != null && !clientId.isBlank() && !scopes.contains("openid")) {
                throw new IllegalArgumentException(PREFIX + "scopes " + scopes + " lack 'openid': the browser login is"
                        + " OpenID Connect and needs it");
            }
        } else if (!localUsers) {
            throw new IllegalArgumentException(PREFIX + "local-users=false but " + PREFIX + "enabled=false: nobody"
                    + " could log in; enable the provider or keep the local users");
        }
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String role : List.of("viewer", "operator", "integrator", "analyst", "admin")) {
            mapping.put(role, HUB_ROLES.get(role));
        }
        return Map.copyOf(mapping);
    }

    /** Claim value to hub role (upper case, as {@link Roles} names it); an unknown role stops the start. */
    private static Map<String, String> checkedMapping(Map<String, String> configured) {
        Map<String, String> mapping = new LinkedHashMap<>();
        configured.forEach((claimValue, role) -> {
            String hubRole = role == null ? null : HUB_ROLES.get(role.strip().toLowerCase(Locale.ROOT));
            if (hubRole == null) {
                throw new IllegalArgumentException(PREFIX + "role-mapping[" + claimValue + "]: '" + role
                        + "' is not a role of the hub; use one of viewer, operator, integrator, analyst, admin");
            }
            mapping.put(claimValue, hubRole);
        });
        return Map.copyOf(mapping);
    }

    /** Whether the browser may log in at the provider (a client id is set). */
    public boolean browserLogin() {
        return enabled && clientId != null && !clientId.isBlank();
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "OidcProperties[enabled=" + enabled + ", issuerUri=" + issuerUri + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null || clientSecret.isBlank() ? "none" : "******")
                + ", roleClaim=" + roleClaim + ", roleMapping=" + roleMapping + ", usernameClaim=" + usernameClaim
                + ", scopes=" + scopes + ", audiences=" + audiences + ", clockSkew=" + clockSkew
                + ", localUsers=" + localUsers + "]";
    }
}
