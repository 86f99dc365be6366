package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.S3CompatibleServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake in an S3-compatible bucket: the hub's writer uploads the same Hive-partitioned Parquet
 * files it writes locally, to a real S3 server (npm's s3rver on a free loopback port),
 * and DuckDB reads a downloaded object with exact counts, sums and the CloudEvents columns.
 */
class S3LakeStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String M1 = "acme/springfield/assembly/line-1/machine-1";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> ENV = Map.of(
            "MILLWRIGHT_LAKE_S3_ACCESS_KEY", S3CompatibleServer.ACCESS_KEY,
            "MILLWRIGHT_LAKE_S3_SECRET_KEY", S3CompatibleServer.SECRET_KEY);

    static S3CompatibleServer server;
    static S3Client reader;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3CompatibleServer.start(Path.of(HubTestProperties.newDataDir("s3rver"), "objects"));
        reader = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3CompatibleServer.ACCESS_KEY, S3CompatibleServer.SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static AnalyticsProperties.S3 settings(String bucket, boolean localCopy) {
        return new AnalyticsProperties.S3(bucket, server.endpoint(), "us-east-1", "/plant-a/events/", true, localCopy,
                "MILLWRIGHT_LAKE_S3_ACCESS_KEY", "MILLWRIGHT_LAKE_S3_SECRET_KEY");
    }

    @Test
    void eventsLandAsHivePartitionedParquetInTheBucket_readByDuckDbWithExactCounts() throws Exception {
        reader.createBucket(b -> b.bucket("plant-lake"));
        Path root = Path.of(HubTestProperties.newDataDir("s3-lake"), "lake");
        try (ParquetLake lake = new ParquetLake(root, S3LakeStore.create(settings("plant-lake", false), ENV::get),
                1_000_000, Duration.ofMinutes(5), CLOCK)) {
            // 30 signals 23:59:45 + i s: 15 on the 29th, 15 on the 30th; 4 counts and a machine state on the 30th
            for (int i = 0; i < 30; i++) {
                append(lake, "signal", signal("s-" + i, Instant.parse("2026-11-29T23:59:45Z").plusSeconds(i), 10 + i));
            }
            for (int i = 1; i <= 4; i++) {
                append(lake, "production-count", """
                        {"specversion":"1.0","id":"c-%d","type":"io.millwright.production-count.v1","source":"opcua://plant-sim",
                         "subject":"%s","time":"2026-11-30T08:00:0%dZ","correlationid":"corr-%d",
                         "data":{"orderId":"1000011","operation":"0010","counter":"GOOD","delta":%d,"total":%d,"unit":"PC"}}"""
                        .formatted(i, M1, i, i, i, i * (i + 1) / 2));
            }
            append(lake, "machine-state", """
                    {"specversion":"1.0","id":"m-1","type":"io.millwright.machine-state.v1","source":"opcua://plant-sim",
                     "subject":"%s","time":"2026-11-30T08:00:00Z","data":{"state":"DOWN","previousState":"RUNNING"}}""".formatted(M1));
            assertThat(lake.location()).isEqualTo("s3://plant-lake/plant-a/events");
            assertThat(lake.flush()).hasSize(4);
            assertThat(lake.lastFailure()).isNull();
            assertThat(lake.bufferedEvents()).isZero();
        }

        assertThat(keys("plant-lake", "plant-a/events/")).as("one object per partition, under the prefix, in the lake's Hive layout")
                .hasSize(4)
                .allMatch(k -> k.matches("plant-a/events/type=[a-z-]+/date=\\d{4}-\\d{2}-\\d{2}/part-\\d{8}T\\d{6}Z-\\d{6}\\.parquet"));
        List<String> signalKeys = keys("plant-lake", "plant-a/events/type=signal/date=2026-11-30/");
        assertThat(signalKeys).hasSize(1);
        assertThat(keys("plant-lake", "plant-a/events/type=signal/date=2026-11-29/")).hasSize(1);
        HeadObjectResponse head = reader.headObject(h -> h.bucket("plant-lake").key(signalKeys.get(0)));
        assertThat(head.contentType()).isEqualTo(S3LakeStore.PARQUET_MEDIA_TYPE);
        try (Stream<Path> local = Files.walk(root)) {
            assertThat(local.filter(Files::isRegularFile)).as("local-copy=false: nothing left on the local disk").isEmpty();
        }

        Path downloaded = root.resolveSibling("downloaded.parquet");
        reader.getObject(g -> g.bucket("plant-lake").key(signalKeys.get(0)), downloaded);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            String file = "read_parquet('" + downloaded.toString().replace("'", "''") + "')";
            // i = 15..29 on the 30th: values 25..39, sum 480
            assertThat(rows(sql, "SELECT count(*), sum(value), min(id), max(subject) FROM " + file)).containsExactly("15|480.0|s-15|" + M1);
            assertThat(rows(sql, "SELECT column_name FROM (DESCRIBE SELECT * FROM " + file + ")"))
                    .contains("id", "cetype", "source", "subject", "time", "receivedtime", "correlationid", "tag", "value", "unit", "quality");
        }
    }

    @Test
    void keepsALocalCopyForTheHubsOwnQueries_whenLocalCopyIsOn() throws Exception {
        reader.createBucket(b -> b.bucket("plant-lake-copy"));
        Path root = Path.of(HubTestProperties.newDataDir("s3-lake-copy"), "lake");
        try (ParquetLake lake = new ParquetLake(root, S3LakeStore.create(settings("plant-lake-copy", true), ENV::get),
                1_000_000, Duration.ofMinutes(5), CLOCK)) {
            for (int i = 0; i < 5; i++) {
                append(lake, "signal", signal("s-" + i, Instant.parse("2026-11-30T08:00:00Z").plusSeconds(i), i));
            }
        } // close() flushes and uploads
        assertThat(keys("plant-lake-copy", "plant-a/events/type=signal/date=2026-11-30/")).hasSize(1);
        LakeQuery query = new LakeQuery(root, new AnalyticsProperties.Query(Duration.ofSeconds(30), 100, DataSize.ofMegabytes(64)),
                S3LakeStore.unreadableLocallyReason(settings("plant-lake-copy", true)));
        assertThat(query.query("SELECT count(*), sum(value) FROM signal", null).rows()).containsExactly(List.of(5L, 10.0));
    }

    @Test
    void aRefusedUploadKeepsTheRowsAndSaysWhy_notLosingThem() throws Exception {
        reader.createBucket(b -> b.bucket("plant-lake-auth"));
        Path root = Path.of(HubTestProperties.newDataDir("s3-lake-auth"), "lake");
        // s3rver checks the access key id (it does not verify SigV4 signatures), so the refusal is an unknown key
        Map<String, String> wrongSecret = Map.of("MILLWRIGHT_LAKE_S3_ACCESS_KEY", "NOT-THE-KEY",
                "MILLWRIGHT_LAKE_S3_SECRET_KEY", "not-the-secret-0123");
        try (ParquetLake lake = new ParquetLake(root, S3LakeStore.create(settings("plant-lake-auth", false), wrongSecret::get),
                1_000_000, Duration.ofMinutes(5), CLOCK)) {
            append(lake, "signal", signal("s-1", Instant.parse("2026-11-30T08:00:00Z"), 1));
            assertThat(lake.flush()).isEmpty();
            assertThat(lake.lastFailure()).contains("s3://plant-lake-auth/plant-a/events/type=signal/date=2026-11-30")
                    .contains("InvalidAccessKeyId").doesNotContain("not-the-secret");
            assertThat(lake.bufferedEvents()).as("rows kept for the next roll").isEqualTo(1);
        }
        assertThat(keys("plant-lake-auth", "plant-a/events/")).isEmpty();
    }

    @Test
    void aBucketThatIsNotThereYetGetsTheRowsOnceItIs() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("s3-lake-late"), "lake");
        try (ParquetLake lake = new ParquetLake(root, S3LakeStore.create(settings("plant-lake-late", false), ENV::get),
                1_000_000, Duration.ofMinutes(5), CLOCK)) {
            for (int i = 0; i < 3; i++) {
                append(lake, "signal", signal("late-" + i, Instant.parse("2026-11-30T09:00:00Z").plusSeconds(i), 100 + i));
            }
            assertThat(lake.flush()).isEmpty();
            assertThat(lake.lastFailure()).contains("NoSuchBucket");
            assertThat(lake.bufferedEvents()).isEqualTo(3);

            reader.createBucket(b -> b.bucket("plant-lake-late"));
            assertThat(lake.flush()).hasSize(1);
            assertThat(lake.lastFailure()).isNull();
            assertThat(lake.bufferedEvents()).isZero();
        }
        List<String> keys = keys("plant-lake-late", "plant-a/events/type=signal/date=2026-11-30/");
        assertThat(keys).hasSize(1);
        Path downloaded = root.resolveSibling("late.parquet");
        reader.getObject(g -> g.bucket("plant-lake-late").key(keys.get(0)), downloaded);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            assertThat(rows(sql, "SELECT count(*), sum(value) FROM read_parquet('" + downloaded.toString().replace("'", "''") + "')"))
                    .as("all three rows, none twice").containsExactly("3|303.0");
        }
    }

    @Test
    void missingCredentialsStopTheStartNamingTheVariable_andAnUnreadableLakeSaysWhy() {
        assertThatThrownBy(() -> S3LakeStore.create(settings("plant-lake", false), Map.<String, String>of()::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MILLWRIGHT_LAKE_S3_ACCESS_KEY");
        LakeQuery query = new LakeQuery(Path.of("target", "no-lake"),
                new AnalyticsProperties.Query(Duration.ofSeconds(30), 100, DataSize.ofMegabytes(64)),
                S3LakeStore.unreadableLocallyReason(settings("plant-lake", false)));
        assertThatThrownBy(() -> query.query("SELECT 1", null)).isInstanceOf(LakeQuery.LakeUnreadableException.class)
                .hasMessageContaining("s3://plant-lake/plant-a/events").hasMessageContaining("local-copy");
        // OEE and the KPI events read through read(): an IllegalStateException, which the OEE API answers 503 with
        assertThatThrownBy(() -> query.read(duck -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("local-copy");
    }

    /** Over HTTP (the controllers in MockMvc): the query API 409, the OEE API and a KPI question 503, each with the reason. */
    @Test
    void theApisSayWhyAnS3LakeWithoutLocalCopyCannotBeRead() throws Exception {
        Path dir = Path.of(HubTestProperties.newDataDir("s3-lake-apis"));
        Path cycleTimes = Files.writeString(dir.resolve("ideal-cycle-times.yaml"), "default: 30\n");
        LakeQuery query = new LakeQuery(dir.resolve("lake"), new AnalyticsProperties.Query(Duration.ofSeconds(30), 100, DataSize.ofMegabytes(64)),
                S3LakeStore.unreadableLocallyReason(settings("plant-lake", false)));
        OeeService oee = new OeeService(query, new ShiftCalendar(ZoneOffset.UTC, List.of(new AnalyticsProperties.Shift("early", "06:00", "14:00"))),
                cycleTimes);
        AnalyticsProperties properties = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("millwright.analytics", AnalyticsProperties.class);
        AskController ask = new AskController(oee, new ShiftCalendar(ZoneOffset.UTC, properties.oee().shifts()), null, properties);
        MockMvc api = MockMvcBuilders.standaloneSetup(new LakeQueryController(query), new KpiController(oee), ask).build();

        String refused = api.perform(post("/api/analytics/query").contentType(MediaType.APPLICATION_JSON).content("{\"sql\":\"SELECT 1\"}"))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(refused).path("detail").asText()).contains("s3://plant-lake/plant-a/events").contains("local-copy");
        String unavailable = api.perform(get("/api/kpi/oee").param("asset", M1)
                        .param("from", "2026-11-30T06:00:00Z").param("to", "2026-11-30T14:00:00Z"))
                .andExpect(status().isServiceUnavailable()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(unavailable).path("detail").asText()).contains("s3://plant-lake/plant-a/events").contains("local-copy");
        String asked = api.perform(get("/api/ask").param("q", "OEE line 1 yesterday"))
                .andExpect(status().isServiceUnavailable()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(asked).path("detail").asText()).contains("s3://plant-lake/plant-a/events").contains("local-copy");
    }

    private static List<String> keys(String bucket, String prefix) {
        return reader.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= n; c++) {
                    row.append(c > 1 ? "|" : "").append(rs.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static void append(ParquetLake lake, String type, String json) throws Exception {
        lake.append(type, JSON.readTree(json), json.length());
    }

    private static String signal(String id, Instant time, double value) {
        return """
                {"specversion":"1.0","id":"%s","type":"io.millwright.signal.v1","source":"opcua://plant-sim","subject":"%s",
                 "time":"%s","receivedtime":"%s","correlationid":"corr-%s",
                 "data":{"tag":"temperature","value":%s,"unit":"CEL","quality":"GOOD","statusCode":"0x00000000"}}"""
                .formatted(id, M1, time, time.plusMillis(5), id, value);
    }
}
