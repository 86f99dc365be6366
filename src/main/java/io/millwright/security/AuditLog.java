package io.millwright.security;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audit log of every management action: each request that changes something (POST, PUT, PATCH,
 * DELETE) to the REST API or the actuator, once answered, as one line on the logger
 * {@value #LOGGER_NAME}: who, what, when, from where, and the answer's status.
 *
 * <pre>
 * at=2026-11-30T15:02:11.402Z user=operator from=10.0.0.7 action=POST /api/dead-letters/12/resubmit status=200
 * </pre>
 *
 * A user of the external OpenID provider is logged with the provider's subject:
 * {@code user=vera oidc-sub=248289761001}.
 *
 * Refused attempts are logged too (status 401 or 403, user {@code -} when none was given). Reads
 * are not audited. Jolokia writes and executions also log the MBean and member
 * ({@link RoleAwareJolokiaRestrictor}). Query strings are left out: they are not needed to tell
 * what was done and could carry values nobody should keep.
 */
class AuditLog extends OncePerRequestFilter {

    static final String LOGGER_NAME = "millwright.audit";

    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER_NAME);
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * The user as the audit log names it: the login name; for a user of the OpenID provider its name
     * claim followed by {@code oidc-sub=<subject>}, the provider's stable id of the person or client
     * (names can change or repeat, the subject does not). Characters that could forge a log line
     * (spaces, line breaks, control characters) in a name from a token are replaced by {@code _}.
     */
    static String who(Authentication authentication) {
        if (authentication == null) {
            return "-";
        }
        String subject = null;
        if (authentication.getPrincipal() instanceof Jwt jwt) {
            subject = jwt.getSubject();
        } else if (authentication.getPrincipal() instanceof OidcUser user) {
            subject = user.getSubject();
        }
        return subject == null ? authentication.getName()
                : loggable(authentication.getName()) + " oidc-sub=" + loggable(subject);
    }

    private static String loggable(String text) {
        return text == null ? "-" : text.replaceAll("[\\s\\p{Cntrl}]", "_");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !CHANGES.contains(request.getMethod())
                || !(path.startsWith("/api/") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant at = Instant.now();
        try {
            chain.doFilter(request, response);
        } finally {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            String user = authentication == null || !authentication.isAuthenticated() ? "-" : who(authentication);
            AUDIT.info("at={} user={} from={} action={} {} status={}", at, user, request.getRemoteAddr(),
                    request.getMethod(), request.getRequestURI(), response.getStatus());
        }
    }
}
