package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The simulated SAP system with one released order ({@value #ORDER}, operation 0010) and the hub's
 * client logged on to it by OAuth2 client credentials: what the authentication and shared-client
 * tests ({@link ErpOAuth2Test}, {@link SharedSapClientConcurrencyTest}) need, in one place.
 * The simulator's user is the OAuth2 client id; the client has no Basic user, so only the bearer
 * token gets a document in.
 */
final class SimulatedSapLogon implements AutoCloseable {

    static final String ORDER = "1000011";

    final ErpSimulator simulator;
    private final String clientId;

    private SimulatedSapLogon(ErpSimulator simulator, String clientId) {
        this.simulator = simulator;
        this.clientId = clientId;
    }

    /** Starts the simulator on a free port, its state under {@code dataDir/sim/erp}. */
    static SimulatedSapLogon start(Path dataDir, String clientId, String secret) throws IOException {
        ErpSimulator simulator = new ErpSimulator(
                new ErpSimulatorProperties(true, 0, "127.0.0.1", clientId, secret, Duration.ofMinutes(30), List.of()),
                List.of(new ErpSimulatorProperties.ReleasedOrder(ORDER, List.of("0010"), "PC", "1010", "L1-M1")),
                dataDir.resolve("sim/erp")).start();
        return new SimulatedSapLogon(simulator, clientId);
    }

    /** A client that logs on with {@code secret} at the simulator's token endpoint; tokens are timed by {@code clock}. */
    SapConfirmationClient oauth2Client(String secret, ObjectMapper json, Clock clock) {
        ErpOAuth2Properties oauth2 = new ErpOAuth2Properties("http://127.0.0.1:" + simulator.port() + ErpSimulator.TOKEN_PATH,
                clientId, secret, "", Duration.ofSeconds(60));
        ErpProperties settings = new ErpProperties(simulator.serviceUrl(), null, null, "", Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2), 50, null, null, null, null);
        return new SapConfirmationClient(settings, json, new ErpTokenSource(oauth2, Duration.ofSeconds(5), json, clock));
    }

    @Override
    public void close() {
        simulator.close();
    }
}
