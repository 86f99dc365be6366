package io.millwright.security;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RegexRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The one authorization map of the hub, by path pattern and HTTP method. The first rule that
 * matches decides; roles imply each other as {@link Roles} says.
 *
 * <table>
 *   <caption>Who may do what</caption>
 *   <tr><th>Request</th><th>Least role</th></tr>
 *   <tr><td>{@code /actuator/health/**}</td><td>none</td></tr>
 *   <tr><td>{@code GET /api/**}, {@code GET /actuator/**} (read-only endpoints), the dashboard ({@code /dashboard/**}), OpenAPI and Swagger UI,
 *       Hawtio and Jolokia (what Jolokia may do per role: {@link RoleAwareJolokiaRestrictor})</td>
 *       <td>viewer</td></tr>
 *   <tr><td>{@code POST .../resubmit|discard} under {@code /api/dead-letters} and {@code /api/tracking};
 *       {@code POST /api/subscriptions/.../pause|resume}; {@code POST /api/alerts/.../ack|acknowledge|silence}</td>
 *       <td>operator</td></tr>
 *   <tr><td>{@code POST /api/analytics/query}</td><td>analyst</td></tr>
 *   <tr><td>any write (POST, PUT, PATCH, DELETE) under {@code /api/connections}, {@code /api/routes},
 *       {@code /api/mappings}, {@code /api/subscriptions}, {@code /api/dispatch}, {@code /api/sparkplug}
 *       (commands to edge nodes)</td><td>integrator</td></tr>
 *   <tr><td>everything else (other writes, actuator writes, heap and thread dumps, env)</td><td>admin</td></tr>
 * </table>
 */
final class AuthorizationRules {

    private static final String OPTIONAL_REST = "(/[^?]*)?";
    private static final String OPTIONAL_QUERY = "(\\?.*)?$";

    private AuthorizationRules() {}

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry authorize) {
        authorize
                .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                // error pages rendered for a request that was already let through (or refused)
                .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                // the end of a server-sent event stream (the dashboard's) the request's own rule let through
                .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                // actuator endpoints that show secrets or the heap: admin only, whatever the method
                .requestMatchers(path(null, "/actuator/heapdump/**"), path(null, "/actuator/threaddump/**"),
                        path(null, "/actuator/env/**"), path(null, "/actuator/configprops/**"),
                        path(null, "/actuator/loggers/**"), path(null, "/actuator/shutdown/**"))
                        .hasRole(Roles.ADMIN)
                // Hawtio's console and Jolokia (POST carries reads too): the restrictor decides per request type
                .requestMatchers(path(null, "/actuator/hawtio/**"), path(null, "/actuator/jolokia/**"),
                        path(null, "/actuator/jolokia"), path(null, "/actuator/hawtio"))
                        .hasRole(Roles.VIEWER)
                .requestMatchers(readOnly("/api/**"), readOnly("/actuator/**"), readOnly("/actuator"),
                        readOnly("/v3/api-docs/**"), readOnly("/v3/api-docs"), readOnly("/swagger-ui/**"),
                        readOnly("/swagger-ui.html"), readOnly("/"), readOnly("/dashboard"), readOnly("/dashboard/**"))
                        .hasRole(Roles.VIEWER)
                .requestMatchers(operatorActions()).hasRole(Roles.OPERATOR)
                .requestMatchers(path(POST, "/api/analytics/query")).hasRole(Roles.ANALYST)
                .requestMatchers(integratorResources()).hasRole(Roles.INTEGRATOR)
                .anyRequest().hasRole(Roles.ADMIN);
    }

    /** Actions on what already exists: resubmit, discard, pause, resume, acknowledge, silence. */
    static RequestMatcher operatorActions() {
        return new OrRequestMatcher(
                regexPost("^/api/(dead-letters|tracking)" + OPTIONAL_REST + "/(resubmit|discard)" + OPTIONAL_QUERY),
                regexPost("^/api/subscriptions" + OPTIONAL_REST + "/(pause|resume)" + OPTIONAL_QUERY),
                regexPost("^/api/alerts" + OPTIONAL_REST + "/(ack|acknowledge|silence)" + OPTIONAL_QUERY));
    }

    /** What an integrator builds: connections, routes, mappings, subscriptions, dispatch; and Sparkplug commands. */
    static RequestMatcher integratorResources() {
        return new RegexRequestMatcher(
                "^/api/(connections|routes|mappings|subscriptions|dispatch|sparkplug)" + OPTIONAL_REST + OPTIONAL_QUERY,
                null);
    }

    private static RequestMatcher regexPost(String pattern) {
        return new RegexRequestMatcher(pattern, POST.name());
    }

    private static RequestMatcher readOnly(String pattern) {
        return new OrRequestMatcher(path(GET, pattern), path(HEAD, pattern));
    }

    private static RequestMatcher path(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }
}
