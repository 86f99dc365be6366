package io.millwright.analytics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The lake in an S3-compatible bucket, through the AWS SDK for Java v2: each finished Parquet file is
 * uploaded (one PutObject; a file is at most {@code roll-size} of JSON, compressed) to
 * {@code <prefix>/type=<type>/date=YYYY-MM-DD/<file>}, the same Hive layout as the local lake, so
 * Spark, Trino and DuckDB read the bucket as they read the folder. An object appears whole or not at
 * all (S3 PutObject semantics), as the local rename gives.
 *
 * <p>With {@code local-copy} the file is then moved into the local lake folder too (the hub's own
 * queries, OEE and KPIs read it there); without, it is deleted once uploaded. A failed upload throws,
 * so {@link ParquetLake} keeps the rows and tries again at the next roll, and health shows why.
 *
 * <p>Credentials come from two environment variables ({@code access-key-env}, {@code secret-key-env});
 * the secret is held by the SDK's credentials object only, whose {@code toString} redacts it, and is
 * never logged. Request checksums are sent only where S3 requires them, and the payload is signed
 * whole rather than in aws-chunked streaming form: the SDK's defaults (a CRC trailer on every upload
 * since 2.30, chunked signing over plain http) are refused or stored verbatim by several S3-compatible
 * servers (s3rver, which the test runs against, keeps the chunk headers inside the object).
 */
final class S3LakeStore implements LakeStore {

    private static final Logger log = LoggerFactory.getLogger(S3LakeStore.class);
    static final String PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet";

    private final AnalyticsProperties.S3 settings;
    private final S3Client client;

    S3LakeStore(AnalyticsProperties.S3 settings, S3Client client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * Builds the store from its settings and the environment.
     *
     * @param environment looks an environment variable up ({@code System::getenv} in the hub)
     * @throws IllegalStateException naming the variable when the access key or secret is not set
     */
    static S3LakeStore create(AnalyticsProperties.S3 settings, UnaryOperator<String> environment) {
        String accessKey = required(environment, settings.accessKeyEnv(), "access key id");
        String secretKey = required(environment, settings.secretKeyEnv(), "secret access key");
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // whole-payload SigV4 instead of aws-chunked streaming signatures over plain http, which
                // several S3-compatible servers store verbatim (chunk headers inside the object)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)));
        if (!settings.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        log.info("Lake writes to an S3 bucket location={} endpoint={} region={} pathStyle={} localCopy={}",
                settings.location(), settings.endpoint().isEmpty() ? "aws" : settings.endpoint(), settings.region(),
                settings.pathStyle(), settings.localCopy());
        return new S3LakeStore(settings, builder.build());
    }

    private static String required(UnaryOperator<String> environment, String variable, String what) {
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("millwright.analytics.lake.s3.bucket is set but the environment variable " + variable
                    + " (the S3 " + what + ", named by millwright.analytics.lake.s3." + (what.startsWith("access") ? "access" : "secret")
                    + "-key-env) is not; set it in the hub's environment, never in a file");
        }
        return value;
    }

    /** The object key of a lake file: {@code <prefix>/type=<type>/date=<day>/<name>}. */
    String objectKey(String key) {
        return settings.prefix().isEmpty() ? key : settings.prefix() + "/" + key;
    }

    @Override
    public void publish(Path written, Path localTarget, String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            client.putObject(PutObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(objectKey)
                    .contentType(PARQUET_MEDIA_TYPE)
                    .build(), RequestBody.fromFile(written));
        } catch (AwsServiceException e) {
            // the service's error code (NoSuchBucket, AccessDenied, InvalidAccessKeyId) is what an operator looks up
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new IOException("uploading to s3://" + settings.bucket() + "/" + objectKey + " failed: "
                    + (code == null ? "" : code + ": ") + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("uploading to s3://" + settings.bucket() + "/" + objectKey + " failed: " + e.getMessage(), e);
        }
        if (settings.localCopy()) {
            LocalLakeStore.move(written, localTarget);
        } else {
            Files.deleteIfExists(written);
        }
    }

    @Override
    public String location() {
        return settings.location();
    }

    @Override
    public String unreadableLocallyReason() {
        return unreadableLocallyReason(settings);
    }

    /** Why the hub cannot read an S3 lake of these settings, or null when it keeps a local copy. */
    static String unreadableLocallyReason(AnalyticsProperties.S3 settings) {
        return !settings.isEnabled() || settings.localCopy() ? null
                : "the data lake is in " + settings.location() + " and this hub keeps no local copy"
                        + " (millwright.analytics.lake.s3.local-copy=false); the embedded DuckDB cannot read S3 here (its httpfs"
                        + " extension is downloaded at run time), so query the bucket with Spark, Trino or a DuckDB that has httpfs,"
                        + " or set local-copy: true";
    }

    @Override
    public void close() {
        client.close();
    }
}
