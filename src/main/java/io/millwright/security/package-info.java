/**
 * Security on by default: one {@code admin} login guards every management surface (the REST
 * API under {@code /api}, Hawtio, Jolokia and every actuator endpoint except health), with HTTP
 * Basic for API clients and a login form for the browser; secrets that the operator did not set
 * ({@code millwright.security.admin-password}, {@code millwright.sim.erp.password}) are generated
 * at start-up by {@link io.millwright.security.GeneratedSecretsEnvironmentPostProcessor} and
 * printed once. Optionally an external OpenID Connect provider adds bearer JWTs and a login at the
 * provider, with roles from a token claim ({@link io.millwright.security.OidcProperties}). It
 * exposes the {@code SecurityFilterChain} and {@code UserDetailsService} beans and the
 * {@link io.millwright.security.MillwrightSecurityProperties} and
 * {@link io.millwright.security.OidcProperties} records; it must not depend on any other capability: others get secrets through their own placeholders, never from here.
 */
package io.millwright.security;
