package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens for the ERP by OAuth2 client credentials (RFC 6749 §4.4): fetched from the token
 * endpoint on first use, kept until {@code refresh-before-expiry} before they expire, then fetched
 * anew; {@link #invalidate} drops a token the ERP refused (401), so the next call fetches a fresh
 * one. Never logs the client secret or a token.
 *
 * <p>Hand-written on the JDK HTTP client like {@link SapConfirmationClient} (one POST and a JSON
 * answer): Spring Security's OAuth2 client would bring its servlet auto-configuration into the hub
 * for this one grant.
 */
public class ErpTokenSource {

    private static final Logger log = LoggerFactory.getLogger(ErpTokenSource.class);

    private final ErpOAuth2Properties settings;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant refreshAt = Instant.MIN;

    public ErpTokenSource(ErpOAuth2Properties settings, Duration timeout, ObjectMapper json) {
        this(settings, timeout, json, Clock.systemUTC());
    }

    ErpTokenSource(ErpOAuth2Properties settings, Duration timeout, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A valid access token, fetched if none is cached or the cached one is due for refresh.
     *
     * @throws ErpAuthorizationException the token endpoint refused the client (wrong id or secret)
     * @throws ErpUnavailableException the token endpoint could not be reached or gave no token
     */
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    /** The ERP refused this token (401): the next {@link #token()} fetches a new one. */
    public synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private void fetch() {
        String form = "grant_type=client_credentials"
                + (settings.scope() == null || settings.scope().isBlank() ? "" : "&scope=" + encode(settings.scope()));
        String client = encode(settings.clientId()) + ":" + encode(settings.clientSecret());
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.tokenUrl()))
                .timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(client.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ErpUnavailableException("OAuth2 token endpoint unreachable url=" + settings.tokenUrl() + ": " + e,
                    null, null, null, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErpUnavailableException("interrupted while fetching an OAuth2 token url=" + settings.tokenUrl(),
                    null, null, null, 0, e);
        }
        JsonNode answer = readQuietly(response.body());
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            // RFC 6749 §5.2: invalid_client, unauthorized_client, invalid_scope ... retrying will not help
            throw new ErpAuthorizationException("OAuth2 token endpoint refused client " + settings.clientId() + " url="
                    + settings.tokenUrl() + ": HTTP " + status + " " + answer.path("error").asText("")
                    + " (check millwright.erp.oauth2.client-id and MILLWRIGHT_ERP_CLIENT_SECRET)", null, null, null, status);
        }
        String accessToken = answer.path("access_token").asText("");
        String type = answer.path("token_type").asText("bearer");
        if (status != 200 || accessToken.isBlank() || !"bearer".equalsIgnoreCase(type)) {
            throw new ErpUnavailableException("OAuth2 token endpoint gave no bearer token url=" + settings.tokenUrl() + " status="
                    + status + " token_type=" + type, null, null, null, status, null);
        }
        long lifetime = answer.path("expires_in").asLong(3600);
        Duration early = settings.refreshBeforeExpiry();
        Duration keep = Duration.ofSeconds(lifetime).minus(early);
        Duration half = Duration.ofSeconds(lifetime).dividedBy(2);
        token = accessToken;
        refreshAt = clock.instant().plus(keep.compareTo(half) < 0 ? half : keep);
        log.info("OAuth2 token fetched for the ERP client={} expiresIn={}s refreshAt={}", settings.clientId(), lifetime, refreshAt);
    }

    private JsonNode readQuietly(String body) {
        try {
            return body == null || body.isBlank() ? json.missingNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.missingNode();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
