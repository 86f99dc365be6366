package io.millwright.security;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The hub's roles and what each implies. {@code admin} can do everything; {@code integrator}
 * everything an {@code operator} can, who can do everything a {@code viewer} can; an
 * {@code analyst} is a viewer who may also run analytics queries.
 *
 * <pre>
 * ADMIN ─┬─ INTEGRATOR ── OPERATOR ─┬─ VIEWER
 *        └─ ANALYST ────────────────┘
 * </pre>
 */
public final class Roles {

    public static final String VIEWER = "VIEWER";
    public static final String OPERATOR = "OPERATOR";
    public static final String INTEGRATOR = "INTEGRATOR";
    public static final String ANALYST = "ANALYST";
    public static final String ADMIN = "ADMIN";

    /** Used by the web authorization rules and by the Jolokia restrictor alike. */
    static final RoleHierarchy HIERARCHY = RoleHierarchyImpl.withDefaultRolePrefix()
            .role(ADMIN).implies(INTEGRATOR, ANALYST)
            .role(INTEGRATOR).implies(OPERATOR)
            .role(OPERATOR).implies(VIEWER)
            .role(ANALYST).implies(VIEWER)
            .build();

    private Roles() {}

    /** The roles (without {@code ROLE_} prefix) the authentication holds, implied ones included. */
    static Set<String> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Set.of();
        }
        Collection<? extends GrantedAuthority> reachable =
                HIERARCHY.getReachableGrantedAuthorities(authentication.getAuthorities());
        return reachable.stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
