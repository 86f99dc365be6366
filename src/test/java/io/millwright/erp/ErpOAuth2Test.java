package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.sim.erp.ErpSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, authentication: the hub logs on to the ERP with OAuth2 client credentials against the
 * simulator's token endpoint (which then also requires the bearer token): the token is fetched
 * once and reused, fetched anew shortly before it expires, and fetched once more when the ERP
 * answers 401; a wrong secret is an authorization refusal that never shows the secret.
 */
class ErpOAuth2Test {

    static final String SECRET = "client-secret-7f3a";

    @TempDir
    Path dataDir;

    SimulatedSapLogon sap;
    ErpSimulator simulator;
    ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    RelayHolesContract.MovableClock clock = new RelayHolesContract.MovableClock();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        sap = SimulatedSapLogon.start(dataDir, "hub-client", SECRET);
        simulator = sap.simulator;
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.millwright")).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("io.millwright")).detachAppender(logs);
        sap.close();
    }

    SapConfirmationClient client(String secret) {
        return sap.oauth2Client(secret, json, clock);
    }

    @Test
    void postedWithOneTokenForManyCalls_whenTokenValid() {
        SapConfirmationClient client = client(SECRET);

        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-1", "3"));
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-2", "4"));
        assertThat(client.find(SapConfirmationClientTest.confirmation("1000011", "MW-OA-1", "3"))).isPresent();

        assertThat(simulator.confirmations()).extracting(c -> c.get("ConfirmationText")).containsExactly("MW-OA-1", "MW-OA-2");
        assertThat(simulator.accessTokensIssued()).as("token cached across calls").isEqualTo(1);
    }

    // a token is replaced before it expires, not after the ERP refused it
    @Test
    void tokenFetchedAnew_shortlyBeforeItExpires() {
        simulator.accessTokenLifetime(Duration.ofMinutes(10));
        SapConfirmationClient client = client(SECRET);
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-1", "1"));

        clock.advance(Duration.ofMinutes(8));
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-2", "1"));
        assertThat(simulator.accessTokensIssued()).as("still well before expiry").isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        int postsBefore = simulator.postsReceived();
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-3", "1"));

        assertThat(simulator.accessTokensIssued()).as("within refresh-before-expiry of the end").isEqualTo(2);
        assertThat(simulator.postsReceived() - postsBefore).as("no refused POST on the way").isEqualTo(1);
    }

    // a token revoked on the server side costs one retry, not a parked confirmation
    @Test
    void postedOnceAfterFreshToken_whenErpAnswers401() {
        SapConfirmationClient client = client(SECRET);
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-1", "1"));
        simulator.revokeAccessTokens();

        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-2", "2"));

        assertThat(simulator.accessTokensIssued()).isEqualTo(2);
        assertThat(simulator.confirmations()).extracting(c -> c.get("ConfirmationText")).containsExactly("MW-OA-1", "MW-OA-2");
    }

    @Test
    void authorizationRefusedWithoutShowingTheSecret_whenSecretWrong() {
        SapConfirmationClient client = client("wrong-secret-91c2");

        assertThatThrownBy(() -> client.post(SapConfirmationClientTest.confirmation("1000011", "MW-OA-1", "1")))
                .isInstanceOf(ErpAuthorizationException.class)
                .hasMessageContaining("invalid_client")
                .hasMessageContaining("MILLWRIGHT_ERP_CLIENT_SECRET")
                .hasMessageNotContaining("wrong-secret-91c2");
        assertThat(simulator.confirmations()).isEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("wrong-secret-91c2") || line.contains(SECRET));
    }

    @Test
    void settingsNeverPrintTheSecret_andRequireIt() {
        ErpOAuth2Properties oauth2 = new ErpOAuth2Properties("https://auth.example/oauth/token", "hub", SECRET, "", null);
        assertThat(oauth2.toString()).doesNotContain(SECRET);
        assertThatThrownBy(() -> new ErpOAuth2Properties("https://auth.example/oauth/token", "hub", "", "", null))
                .hasMessageContaining("MILLWRIGHT_ERP_CLIENT_SECRET");
    }
}
