package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.sim.erp.ErpSimulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: one SAP client is shared by every relay thread and every document type. SAP binds a
 * CSRF token to the session cookie that came with it (REFERENCE §1.2), so concurrent POSTs must
 * never pair one thread's token with another thread's cookie: before, eight threads posting while
 * SAP's sessions timed out got "403 X-CSRF-Token: Required" twice in a row, which the client took
 * for a refused authorization (parked, alerted). Also: the OData document types (goods movements,
 * notifications) get the same one retry with a fresh OAuth2 token after a 401 as confirmations.
 */
class SharedSapClientConcurrencyTest {

    static final String SECRET = "client-secret-5b1e";

    @TempDir
    Path dataDir;

    SimulatedSapLogon sap;
    ErpSimulator simulator;
    ObjectMapper json = JsonMapper.builder().findAndAddModules().build();

    @BeforeEach
    void start() throws Exception {
        sap = SimulatedSapLogon.start(dataDir, "millwright", SECRET);
        simulator = sap.simulator;
    }

    @AfterEach
    void stop() {
        sap.close();
    }

    @Test
    void everyConfirmationPostedOnce_whenEightThreadsShareOneClientWhileSapSessionsTimeOut() throws Exception {
        SapConfirmationClient client = new SapConfirmationClient(SapConfirmationClientTest.properties(simulator.serviceUrl(), SECRET), json);
        // SAP's logon is slow, so the fetches of threads refused at the same moment overlap
        simulator.delayCsrfFetches(Duration.ofMillis(150));
        int threads = 8;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean posting = new AtomicBoolean(true);
        AtomicInteger sessionTimeouts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try {
            // SAP's sessions time out three times while the threads post (session timeout, a restart of SAP's
            // app server); each time after at least 24 more POSTs, so a client that renews a refused session
            // once gets its retry through on the new one
            Future<?> timeouts = pool.submit(() -> {
                int last = 0;
                while (sessionTimeouts.get() < 3 && posting.get()) {
                    if (simulator.postsReceived() - last >= 24) {
                        simulator.invalidateCsrfTokens();
                        last = simulator.postsReceived();
                        sessionTimeouts.incrementAndGet();
                    }
                    sleepQuietly(5);
                }
            });
            List<Future<?>> posters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                posters.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            client.post(SapConfirmationClientTest.confirmation("1000011", "MW-CC-" + thread + "-" + i, "1"));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> poster : posters) {
                poster.get(60, TimeUnit.SECONDS);
            }
            posting.set(false);
            timeouts.get(10, TimeUnit.SECONDS);
        } finally {
            posting.set(false);
            pool.shutdownNow();
        }

        assertThat(sessionTimeouts.get()).as("SAP's sessions timed out while posting").isGreaterThanOrEqualTo(2);
        assertThat(failures).as("no POST refused for a CSRF token paired with another session's cookie").isEmpty();
        List<Object> texts = simulator.confirmations().stream().map(c -> c.get("ConfirmationText")).toList();
        assertThat(texts).hasSize(threads * perThread).doesNotHaveDuplicates();
    }

    @Test
    void notificationPostedAndReadBackAfterFreshToken_whenErpAnswers401() {
        SapConfirmationClient client = sap.oauth2Client(SECRET, json, Clock.systemUTC());
        MaintenanceNotificationType notifications = new MaintenanceNotificationType(client.odata(),
                simulator.serviceUrl(ErpSimulator.MAINT_NOTIFICATION_PATH));
        client.post(SapConfirmationClientTest.confirmation("1000011", "MW-CC-1", "1"));
        OutboxEntry first = notification("MWN-CC-1");
        OutboxEntry second = notification("MWN-CC-2");
        notifications.post(first);
        assertThat(simulator.accessTokensIssued()).as("one token for both services").isEqualTo(1);

        simulator.revokeAccessTokens();
        ErpDocumentKey posted = notifications.post(second);
        simulator.revokeAccessTokens();
        ErpDocumentKey found = notifications.find(second).orElseThrow();

        assertThat(found).isEqualTo(posted);
        assertThat(simulator.accessTokensIssued()).as("a fresh token after each 401").isEqualTo(3);
        assertThat(simulator.maintenanceNotifications()).extracting(n -> n.get("NotificationText"))
                .containsExactly("[MWN-CC-1] bearing vibration", "[MWN-CC-2] bearing vibration");
    }

    OutboxEntry notification(String key) {
        String entity;
        try {
            entity = json.writeValueAsString(Map.of("NotificationType", "M2", "NotificationText", "[" + key + "] bearing vibration",
                    "TechnicalObject", "L1-M1", "MaintPriority", "2"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new OutboxEntry(MaintenanceNotificationType.NAME, key, null, null, null, entity, OutboxEntry.Status.PENDING, 0, null,
                null, null, null, null, null, false, null, null);
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
