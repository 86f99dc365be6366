package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.S3CompatibleServer;
import io.millwright.testsupport.StartsPackagedHubs;
import io.millwright.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The packaged hub as shipped, its lake in an S3-compatible bucket (s3rver on a free loopback port):
 * the simulated plant's events (its OPC UA server in this JVM) arrive in the bucket as Hive-partitioned
 * Parquet that DuckDB reads; the hub's own SQL API answers the same rows from its local copy, which
 * equals the object byte for byte; health names the bucket; and the secret, given in the environment
 * only, is in none of the hub's logs.
 *
 * <p>Needs the jar (the {@code package} phase) and PostgreSQL on 127.0.0.1:5432. Run alone with
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=S3LakeHubIT}.
 */
@StartsPackagedHubs
class S3LakeHubIT {

    private static final String BUCKET = "hub-lake";
    private static final String ADMIN_PASSWORD = "s3-lake-admin-" + UUID.randomUUID();
    /** s3rver checks the key id only; a secret of its own makes "never logged" checkable. */
    private static final String SECRET = "lake-secret-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    Path work;
    S3CompatibleServer server;
    S3Client reader;
    TestDatabase db;
    PackagedHub hub;
    PlantSimulator plant;

    @BeforeEach
    void start() throws Exception {
        work = PackagedHub.runFolder("s3-lake-hub");
        server = S3CompatibleServer.start(work.resolve("objects"));
        reader = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3CompatibleServer.ACCESS_KEY, S3CompatibleServer.SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
        reader.createBucket(b -> b.bucket(BUCKET));
        db = TestDatabase.postgres();
        // the plant: the hub's own simulator, in this JVM (PackagedHub starts the hub with its simulators off)
        int opcuaPort = FreePorts.next();
        plant = new PlantSimulator(new PlantSimulatorProperties(true, opcuaPort, "127.0.0.1", null, 1, 2, "0010",
                Duration.ofMillis(200), false, 11L, Map.of()));
        plant.start();
        PackagedHub.prepareWorkDir(work.resolve("hub"), opcuaPort, "Line1.Machine1.Temperature", "Line1.Machine2.Temperature");
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
        if (plant != null) {
            plant.stop();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theShippedHubWritesItsLakeToTheBucket_andStillAnswersSqlFromItsLocalCopy() throws Exception {
        hub = PackagedHub.in(work.resolve("hub")).name("s3-lake").database(db).heap("384m").adminPassword(ADMIN_PASSWORD)
                .arg("--millwright.analytics.lake.roll-interval=2s")
                .arg("--millwright.analytics.lake.roll-check=500ms")
                .arg("--millwright.analytics.lake.s3.bucket=" + BUCKET)
                .arg("--millwright.analytics.lake.s3.endpoint=" + server.endpoint())
                .arg("--millwright.analytics.lake.s3.path-style=true")
                .arg("--millwright.analytics.lake.s3.prefix=site-a")
                .env("MILLWRIGHT_LAKE_S3_ACCESS_KEY", S3CompatibleServer.ACCESS_KEY)
                .env("MILLWRIGHT_LAKE_S3_SECRET_KEY", SECRET)
                .env("MILLWRIGHT_MES_PASSWORD", "s3-lake-mes")
                .env("MILLWRIGHT_ERP_PASSWORD", "s3-lake-erp")
                .start();

        // generous: a packaged hub's start on 2 shared cores, then the first roll
        List<String> signalKeys = await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    hub.assertAlive();
                    return keys("site-a/type=signal/");
                }, found -> !found.isEmpty());
        assertThat(signalKeys).allMatch(k -> k.matches("site-a/type=signal/date=\\d{4}-\\d{2}-\\d{2}/part-\\d{8}T\\d{6}Z-\\d{6}\\.parquet"));

        Path downloaded = work.resolve("signal.parquet");
        reader.getObject(g -> g.bucket(BUCKET).key(signalKeys.get(0)), downloaded);
        List<String> ids = new java.util.ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            String file = "read_parquet('" + downloaded.toString().replace("'", "''") + "')";
            try (ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT subject), min(cetype) FROM " + file)) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows in the object").isPositive();
                assertThat(rs.getLong(2)).as("machines in the object").isPositive();
                assertThat(rs.getString(3)).isEqualTo("io.millwright.signal.v1");
            }
            try (ResultSet rs = sql.executeQuery("SELECT id FROM " + file + " ORDER BY id LIMIT 50")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }

        // the same file kept locally, byte for byte: the hub's SQL API reads it there (its DuckDB cannot read S3)
        Path local = work.resolve("hub/data/lake").resolve(signalKeys.get(0).substring("site-a/".length()));
        assertThat(Files.mismatch(downloaded, local)).as("local copy " + local + " equals the object").isEqualTo(-1L);
        JsonNode answer = JSON.readTree(query("SELECT count(*) FROM signal WHERE id IN ('" + String.join("','", ids) + "')"));
        assertThat(answer.path("rows").get(0).get(0).asLong()).as("the object's rows through POST /api/analytics/query")
                .isEqualTo(ids.size());

        JsonNode lake = hub.getJson("/actuator/health").path("components").path("analyticsLake");
        assertThat(lake.path("details").path("location").asText()).isEqualTo("s3://" + BUCKET + "/site-a");
        assertThat(lake.path("status").asText()).isEqualTo("UP");

        hub.close();
        hub = null;
        try (Stream<Path> logs = Files.list(work.resolve("hub"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).as(log.getFileName().toString()).doesNotContain(SECRET);
            }
        }
    }

    private List<String> keys(String prefix) {
        return reader.listObjectsV2Paginator(l -> l.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private String query(String sql) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/analytics/query"))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("sql", sql))))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
