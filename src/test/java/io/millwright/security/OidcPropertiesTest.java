package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.millwright.testsupport.SettingsBinding;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.GrantedAuthority;

/**
 * {@code millwright.security.oidc.*} as the hub binds it at start: bad settings stop the start naming
 * the setting; the role claim is read as Keycloak and Entra ID issue it.
 */
class OidcPropertiesTest {

    private final ApplicationContextRunner hub = SettingsBinding.runner(OidcProperties.class);

    @Test
    void startStops_whenEnabledWithoutIssuer() {
        hub.withPropertyValues("millwright.security.oidc.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("millwright.security.oidc.issuer-uri is blank")
                    .hasMessageContaining("millwright.security.oidc.enabled=true");
        });
    }

    @Test
    void startStops_whenMappingNamesNoHubRole() {
        hub.withPropertyValues("millwright.security.oidc.enabled=true",
                "millwright.security.oidc.issuer-uri=https://sso.example.com/realms/plant",
                "millwright.security.oidc.role-mapping.plant-boss=superuser").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("millwright.security.oidc.role-mapping[plant-boss]: 'superuser' is not a role of the hub");
        });
    }

    @Test
    void startStops_whenLocalUsersOffWithoutProvider() {
        hub.withPropertyValues("millwright.security.oidc.local-users=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("millwright.security.oidc.local-users=false");
        });
    }

    @Test
    void defaults_offWithRolesClaimAndSameNames() {
        hub.run(context -> {
            OidcProperties oidc = context.getBean(OidcProperties.class);
            assertThat(oidc.enabled()).isFalse();
            assertThat(oidc.localUsers()).isTrue();
            assertThat(oidc.roleClaim()).isEqualTo("roles");
            assertThat(oidc.roleMapping()).containsEntry("operator", Roles.OPERATOR).containsEntry("admin", Roles.ADMIN)
                    .hasSize(5);
        });
    }

    @Test
    void clientSecretNeverPrinted() {
        OidcProperties oidc = properties("roles", Map.of(), "s3cret-value");
        assertThat(oidc.toString()).doesNotContain("s3cret-value").contains("clientSecret=******");
    }

    @Test
    void rolesFromKeycloakNestedClaim_mapped() {
        OidcRoleClaim claim = new OidcRoleClaim(properties("realm_access.roles",
                Map.of("plant-operator", "operator", "plant-admin", "ADMIN"), null));

        Map<String, Object> claims = Map.of("sub", "f3a1",
                "realm_access", Map.of("roles", List.of("offline_access", "plant-operator")));

        assertThat(claim.authorities(claims)).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_OPERATOR");
        assertThat(claim.authorities(Map.of("sub", "x", "realm_access", Map.of("roles", List.of("plant-admin")))))
                .extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_ADMIN");
        assertThat(claim.username(claims)).as("no preferred_username: the subject").isEqualTo("f3a1");
    }

    @Test
    void rolesFromFlatClaim_listOrSpaceSeparated_unknownValuesIgnored() {
        OidcRoleClaim claim = new OidcRoleClaim(properties("roles", Map.of(), null));

        assertThat(claim.authorities(Map.of("roles", List.of("viewer", "Everyone", "integrator"))))
                .extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_VIEWER", "ROLE_INTEGRATOR");
        assertThat(claim.authorities(Map.of("roles", "analyst operator")))
                .extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_ANALYST", "ROLE_OPERATOR");
        assertThat(claim.authorities(Map.of("scope", "admin"))).as("no role claim, no role").isEmpty();
        assertThat(claim.authorities(Map.of("roles", List.of("ADMIN")))).as("mapping keys are exact").isEmpty();
    }

    private static OidcProperties properties(String roleClaim, Map<String, String> mapping, String secret) {
        return new OidcProperties(true, "https://sso.example.com/realms/plant", "millwright", secret, roleClaim, mapping,
                null, null, null, null, true);
    }
}
