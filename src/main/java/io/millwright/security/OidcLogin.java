package io.millwright.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The external OpenID Connect provider in the one filter chain, with Spring Security's own parts:
 *
 * <ul>
 *   <li>resource server: an {@code Authorization: Bearer} JWT is checked against the provider's
 *       keys (its JWKS, found through the issuer's discovery document on the first token), its
 *       issuer, its lifetime and, when configured, its audience; the roles come from the role claim;
 *   <li>OAuth2 login for the browser (when a client id is set): authorization code with PKCE (also
 *       for a confidential client, OAuth 2.0 Security BCP, RFC 9700 §2.1.1); the roles come from the
 *       ID token and the userinfo answer merged.
 * </ul>
 *
 * The browser login needs the provider's discovery document when the hub starts (as Spring Boot's
 * {@code issuer-uri} does): a wrong issuer stops the start naming the setting.
 */
final class OidcLogin {

    static final String REGISTRATION_ID = "oidc";

    private final OidcProperties properties;
    private final OidcRoleClaim roleClaim;

    OidcLogin(OidcProperties properties) {
        this.properties = properties;
        this.roleClaim = new OidcRoleClaim(properties);
    }

    void apply(HttpSecurity http) throws Exception {
        http.oauth2ResourceServer(resourceServer -> resourceServer
                .jwt(jwt -> jwt.decoder(jwtDecoder()).jwtAuthenticationConverter(this::authenticate)));
        if (properties.browserLogin()) {
            ClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration());
            DefaultOAuth2AuthorizationRequestResolver authorizationRequests = new DefaultOAuth2AuthorizationRequestResolver(
                    registrations, OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
            authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
            http.oauth2Login(login -> login
                    .clientRegistrationRepository(registrations)
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(authorizationRequests))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidcUserService())));
        }
    }

    /** Where a browser starts the login at the provider. */
    static String authorizationPath() {
        return OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/" + REGISTRATION_ID;
    }

    private JwtAuthenticationToken authenticate(Jwt jwt) {
        Map<String, Object> claims = jwt.getClaims();
        return new JwtAuthenticationToken(jwt, roleClaim.authorities(claims), roleClaim.username(claims));
    }

    /** Built on the first token, so the hub starts while the provider is down; retried until it answers. */
    private JwtDecoder jwtDecoder() {
        String issuer = properties.issuerUri();
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                    // access tokens are typed "at+jwt" by RFC 9068 providers (oidc-provider), "JWT" by
                    // Keycloak and Entra ID: checked by the validator below instead of Nimbus's JWT-only check
                    .validateType(false)
                    .jwsAlgorithms(algorithms -> algorithms.addAll(List.of(SignatureAlgorithm.RS256,
                            SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256,
                            SignatureAlgorithm.ES256, SignatureAlgorithm.ES384)))
                    .build();
            decoder.setJwtValidator(validator());
            return decoder;
        });
    }

    OAuth2TokenValidator<Jwt> validator() {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
        type.setAllowEmpty(true);
        validators.add(type);
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        validators.add(new JwtIssuerValidator(properties.issuerUri()));
        List<String> audiences = properties.audiences();
        if (!audiences.isEmpty()) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private ClientRegistration registration() {
        ClientRegistration.Builder builder;
        try {
            builder = ClientRegistrations.fromIssuerLocation(properties.issuerUri());
        } catch (RuntimeException e) {
            throw new IllegalStateException("millwright.security.oidc.issuer-uri '" + properties.issuerUri()
                    + "': the provider's discovery document (.well-known/openid-configuration) could not be read;"
                    + " check the URL and that the provider runs: " + e.getMessage(), e);
        }
        builder.registrationId(REGISTRATION_ID)
                .clientName("OpenID provider")
                .clientId(properties.clientId())
                .scope(properties.scopes())
                .userNameAttributeName(IdTokenClaimNames.SUB);
        String secret = properties.clientSecret();
        if (secret == null || secret.isBlank()) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            builder.clientSecret(secret);
        }
        return builder.build();
    }

    /** Spring's OIDC user (ID token and userinfo merged), with the hub's roles and name from its claims. */
    private OAuth2UserService<OidcUserRequest, OidcUser> oidcUserService() {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            Map<String, Object> claims = user.getClaims();
            List<GrantedAuthority> authorities = new ArrayList<>(roleClaim.authorities(claims));
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), roleClaim.usernameClaim(claims));
        };
    }
}
