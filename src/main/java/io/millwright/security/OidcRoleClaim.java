package io.millwright.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Reads the hub's roles from the claims of an OpenID provider's token or userinfo answer: the claim
 * {@code millwright.security.oidc.role-claim} (a name, or a dotted path into nested objects such as
 * Keycloak's {@code realm_access.roles}), each value mapped by {@code role-mapping}. Values the
 * mapping does not know give no role; a token without the claim gets no role (it is refused past the
 * login: every path but health needs at least viewer).
 */
final class OidcRoleClaim {

    private final List<String> path;
    private final Map<String, String> mapping;
    private final String usernameClaim;

    OidcRoleClaim(OidcProperties properties) {
        this.path = List.of(properties.roleClaim().split("\\."));
        this.mapping = properties.roleMapping();
        this.usernameClaim = properties.usernameClaim();
    }

    /** {@code ROLE_<HUB ROLE>} authorities for the mapped values of the role claim. */
    Collection<GrantedAuthority> authorities(Map<String, Object> claims) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        for (String value : values(claims)) {
            String role = mapping.get(value);
            if (role != null) {
                authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
            }
        }
        return List.copyOf(authorities);
    }

    /** The user's name: the username claim, else the subject. */
    String username(Map<String, Object> claims) {
        Object name = claims.get(usernameClaim);
        return name instanceof String text && !text.isBlank() ? text : String.valueOf(claims.get("sub"));
    }

    String usernameClaim(Map<String, Object> claims) {
        return claims.get(usernameClaim) instanceof String text && !text.isBlank() ? usernameClaim : "sub";
    }

    private List<String> values(Map<String, Object> claims) {
        Object node = claims;
        for (String step : path) {
            if (!(node instanceof Map<?, ?> object)) {
                return List.of();
            }
            node = object.get(step);
        }
        List<String> values = new ArrayList<>();
        if (node instanceof Collection<?> list) {
            list.forEach(item -> {
                if (item != null) {
                    values.add(item.toString());
                }
            });
        } else if (node instanceof String text) {
            for (String item : text.split("[\\s,]+")) {
                if (!item.isEmpty()) {
                    values.add(item);
                }
            }
        }
        return values;
    }
}
