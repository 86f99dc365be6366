package io.millwright.security;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;

/**
 * One login in front of every management surface, with roles.
 *
 * <ul>
 *   <li>{@code /actuator/health} and its groups ({@code /actuator/health/liveness},
 *       {@code /readiness}) are open, for load balancers and probes;
 *   <li>everything else needs a login: {@code /api/**}, {@code /actuator/**} including Hawtio
 *       ({@code /actuator/hawtio/**}) and Jolokia ({@code /actuator/jolokia/**}), and {@code /},
 *       which redirects to Hawtio; which role may do what is {@link AuthorizationRules}' map,
 *       and inside Jolokia {@link RoleAwareJolokiaRestrictor}'s policy.
 * </ul>
 *
 * <p>A browser that navigates to a protected page is sent to the login form; any other client
 * gets {@code 401} with an HTTP Basic challenge. Hawtio runs with its own authentication off
 * ({@code hawtio.authenticationEnabled: false}), so this chain is the only gate.
 *
 * <p>CSRF: Hawtio's console POSTs to Jolokia with the session cookie, so for cookie sessions the
 * token travels in a JavaScript-readable {@code XSRF-TOKEN} cookie that the console echoes in the
 * {@code X-XSRF-TOKEN} header (Hawtio's springboot-security example; without it hawtio#3226's 403).
 * Requests that carry their own {@code Authorization} header (API clients, Jolokia clients) are
 * exempt: a cross-site page cannot add that header, and such clients keep no cookie to abuse.
 *
 * <p>With an external OpenID Connect provider ({@link OidcProperties}) the same chain also takes
 * the provider's bearer JWTs and offers the browser a login at the provider ({@link OidcLogin});
 * the local users keep HTTP Basic and the form unless {@code millwright.security.oidc.local-users}
 * is false. The roles from either way are the same four-plus-analyst, so the authorization map and
 * the Jolokia policy apply unchanged.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurityConfiguration {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_ROLE = Roles.ADMIN;
    static final String LOGIN_PAGE = "/login";
    static final String REALM = "Millwright";

    @Bean
    SecurityFilterChain managementSecurityFilterChain(HttpSecurity http, OidcProperties oidc) throws Exception {
        BasicAuthenticationEntryPoint basicEntryPoint = new BasicAuthenticationEntryPoint();
        basicEntryPoint.setRealmName(REALM);
        basicEntryPoint.afterPropertiesSet();
        // with the local users off, an API client without credentials is told to bring a bearer token
        AuthenticationEntryPoint apiEntryPoint =
                oidc.localUsers() ? basicEntryPoint : new BearerTokenAuthenticationEntryPoint();
        boolean loginPage = oidc.localUsers() || oidc.browserLogin();

        http.authorizeHttpRequests(AuthorizationRules::apply);
        if (oidc.localUsers()) {
            http.formLogin(form -> form.permitAll()) // Spring Security's own login page at /login
                    .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(basicEntryPoint));
        }
        if (oidc.enabled()) {
            new OidcLogin(oidc).apply(http);
        }
        // mappings, not authenticationEntryPoint(..): a custom entry point would switch off
        // Spring Security's generated login page
        http.exceptionHandling(exceptions -> {
                    if (loginPage) {
                        exceptions.defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE), browserNavigation());
                    }
                    exceptions.defaultAuthenticationEntryPointFor(apiEntryPoint, AnyRequestMatcher.INSTANCE);
                })
                .logout(logout -> logout.logoutSuccessUrl(loginPage ? LOGIN_PAGE + "?logout" : "/").permitAll())
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        // bearer tokens included: a cross-site page cannot add this header
                        .ignoringRequestMatchers(new RequestHeaderRequestMatcher(HttpHeaders.AUTHORIZATION)))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new AuditLog(), SecurityContextHolderFilter.class);
        return http.build();
    }

    /** Picked up by {@code authorizeHttpRequests}: an admin may do what any other role may. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return Roles.HIERARCHY;
    }

    /**
     * {@code admin} always; {@code viewer}, {@code operator}, {@code integrator} and
     * {@code analyst} when their password is set, each with the role of its name. Defining this
     * bean also switches off Spring Boot's {@code UserDetailsServiceAutoConfiguration}, which
     * would log "Using generated security password" with the password in it.
     */
    @Bean
    UserDetailsService millwrightUserDetailsService(MillwrightSecurityProperties properties,
            PasswordEncoder passwordEncoder) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(User.withUsername(ADMIN_USER)
                .password(passwordEncoder.encode(properties.adminPassword()))
                .roles(ADMIN_ROLE)
                .build());
        addIfSet(users, passwordEncoder, "viewer", properties.viewerPassword(), Roles.VIEWER);
        addIfSet(users, passwordEncoder, "operator", properties.operatorPassword(), Roles.OPERATOR);
        addIfSet(users, passwordEncoder, "integrator", properties.integratorPassword(), Roles.INTEGRATOR);
        addIfSet(users, passwordEncoder, "analyst", properties.analystPassword(), Roles.ANALYST);
        return users;
    }

    private static void addIfSet(InMemoryUserDetailsManager users, PasswordEncoder encoder, String name,
            String password, String role) {
        if (password != null && !password.isBlank()) {
            users.createUser(User.withUsername(name).password(encoder.encode(password)).roles(role).build());
        }
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** A browser navigating to a page (not a script): it gets the login form, others a Basic challenge. */
    private static RequestMatcher browserNavigation() {
        MediaTypeRequestMatcher acceptsHtml =
                new MediaTypeRequestMatcher(new HeaderContentNegotiationStrategy(), MediaType.TEXT_HTML);
        acceptsHtml.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return new AndRequestMatcher(acceptsHtml,
                new NegatedRequestMatcher(new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest")));
    }
}
