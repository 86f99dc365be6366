package io.millwright.ot.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Period;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's OPC UA client identity and certificate trust, in Milo's trust-list layout under one
 * directory ({@code <data-dir>/pki}):
 *
 * <pre>
 * own/certs/millwright-hub.der       the hub's application instance certificate (generated on first start)
 * own/private/millwright-hub.pem     its private key, PKCS#8 PEM, readable by the owner only
 * trusted/certs/  trusted/crl/       server certificates (and CAs) the hub trusts, and their CRLs
 * issuers/certs/  issuers/crl/       CA certificates that complete a chain without being trusted themselves
 * rejected/                          server certificates the hub refused; move one to trusted/certs/ to trust it
 * </pre>
 *
 * Milo's {@link FileBasedTrustListManager} watches the trusted and issuer folders, so a certificate
 * moved there counts from the next connection attempt on, without a restart. An operator replaces
 * the hub's certificate by replacing the two {@code own} files (its URI SAN becomes the hub's
 * application URI) and restarting.
 *
 * <p>A certificate that exists is read (and checked) when the PKI opens. A missing one (the first start
 * on a fresh data dir) is generated on a thread of its own, so the hub's start does not wait for an RSA
 * key pair (1-3 s of CPU): its first user, the OPC UA session's setup thread, waits for it instead.
 */
public final class ClientPki implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientPki.class);

    static final String OWN_CERTIFICATE = "own/certs/millwright-hub.der";
    static final String OWN_KEY = "own/private/millwright-hub.pem";

    static {
        // Aes256_Sha256_RsaPss needs RSASSA-PSS from BouncyCastle (Milo's examples register it too)
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** The hub's own certificate, its key pair and its application URI (the certificate's URI SAN). */
    private record Identity(KeyPair keyPair, X509Certificate certificate, String applicationUri) {

        static Identity of(Path directory, KeyPair keyPair, X509Certificate certificate) {
            return new Identity(keyPair, certificate, CertificateUtil.getSanUri(certificate).orElseThrow(() ->
                    new IllegalStateException(directory.resolve(OWN_CERTIFICATE) + " has no URI in its subject"
                            + " alternative name; an OPC UA application instance certificate needs one (the application URI)")));
        }
    }

    private final Path directory;
    private final CompletableFuture<Identity> identity;
    private final FileBasedTrustListManager trustList;
    private final FileBasedCertificateQuarantine rejected;

    private ClientPki(Path directory, CompletableFuture<Identity> identity,
            FileBasedTrustListManager trustList, FileBasedCertificateQuarantine rejected) {
        this.directory = directory;
        this.identity = identity;
        this.trustList = trustList;
        this.rejected = rejected;
    }

    /**
     * Opens the PKI under {@code directory}, creating the folders, and the hub's certificate with
     * its key when they do not exist yet (application URI {@code urn:<host>:millwright:hub}, the
     * host name as DNS SAN, RSA 2048, SHA-256, valid 5 years). A missing certificate is generated on the
     * thread {@code opcua-client-certificate}; {@link #certificate()} and the other accessors of the
     * identity wait for it.
     */
    public static ClientPki open(Path directory) {
        try {
            for (String folder : List.of("own/certs", "own/private", "trusted/certs", "trusted/crl",
                    "issuers/certs", "issuers/crl", "rejected")) {
                Files.createDirectories(directory.resolve(folder));
            }
            Path certFile = directory.resolve(OWN_CERTIFICATE);
            Path keyFile = directory.resolve(OWN_KEY);
            CompletableFuture<Identity> identity;
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                X509Certificate certificate = readCertificate(certFile);
                KeyPair keyPair = new KeyPair(certificate.getPublicKey(), readPrivateKey(keyFile));
                identity = CompletableFuture.completedFuture(Identity.of(directory, keyPair, certificate));
                log.info("OPC UA client certificate loaded file={} subject={} thumbprint={} notAfter={}",
                        certFile, certificate.getSubjectX500Principal().getName(), thumbprint(certificate),
                        certificate.getNotAfter().toInstant());
            } else {
                identity = new CompletableFuture<>();
                CompletableFuture<Identity> generating = identity;
                Thread generator = new Thread(() -> {
                    try {
                        generating.complete(generate(directory, certFile, keyFile));
                    } catch (Exception | Error e) {
                        log.error("OPC UA client certificate could not be created file={} reason={}", certFile, e.toString());
                        generating.completeExceptionally(e);
                    }
                }, "opcua-client-certificate");
                generator.setDaemon(true);
                generator.start();
            }
            FileBasedTrustListManager trustList = new FileBasedTrustListManager(
                    directory.resolve("issuers/certs"), directory.resolve("issuers/crl"),
                    directory.resolve("trusted/certs"), directory.resolve("trusted/crl"));
            trustList.initialize();
            FileBasedCertificateQuarantine rejected = FileBasedCertificateQuarantine.create(directory.resolve("rejected"));
            return new ClientPki(directory, identity, trustList, rejected);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open the OPC UA client PKI in " + directory.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Identity generate(Path directory, Path certFile, Path keyFile) throws Exception {
        long start = System.nanoTime();
        String host = hostName();
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Millwright hub@" + host)
                .setOrganization("Millwright")
                .setApplicationUri("urn:" + host + ":millwright:hub")
                .addDnsName(host)
                .setValidityPeriod(Period.ofYears(5))
                .build();
        writeKey(keyFile, keyPair.getPrivate());
        Files.write(certFile, certificate.getEncoded());
        log.info("OPC UA client certificate created file={} subject={} thumbprint={} applicationUri={} tookMs={}",
                certFile, certificate.getSubjectX500Principal().getName(), thumbprint(certificate),
                "urn:" + host + ":millwright:hub", (System.nanoTime() - start) / 1_000_000);
        return Identity.of(directory, keyPair, certificate);
    }

    /** The identity, waiting for its generation when a first start is still creating it. */
    private Identity identity() {
        try {
            return identity.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("Cannot create the OPC UA client certificate in " + directory.toAbsolutePath()
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    public Path directory() {
        return directory;
    }

    /** The hub's application URI, the URI SAN of its certificate. */
    public String applicationUri() {
        return identity().applicationUri();
    }

    public X509Certificate certificate() {
        return identity().certificate();
    }

    KeyPair keyPair() {
        return identity().keyPair();
    }

    FileBasedTrustListManager trustList() {
        return trustList;
    }

    FileBasedCertificateQuarantine rejectedStore() {
        return rejected;
    }

    Path trustedCerts() {
        return directory.resolve("trusted/certs");
    }

    /** The file in {@code rejected/} holding {@code certificate}, or null. */
    Path rejectedFile(X509Certificate certificate) {
        return fileHolding(directory.resolve("rejected"), certificate);
    }

    /** The file in {@code trusted/certs/} holding {@code certificate}, or null. */
    Path trustedFile(X509Certificate certificate) {
        return fileHolding(trustedCerts(), certificate);
    }

    private static Path fileHolding(Path folder, X509Certificate certificate) {
        try (var files = Files.list(folder)) {
            byte[] encoded = certificate.getEncoded();
            return files.filter(f -> {
                try {
                    return java.util.Arrays.equals(Files.readAllBytes(f), encoded);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        } catch (IOException | CertificateException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            trustList.close();
        } catch (IOException e) {
            log.warn("OPC UA trust list watcher did not close dir={} reason={}", directory, e.toString());
        }
    }

    /** SHA-1 thumbprint in hex, as OPC UA tools and Milo's rejected files show it. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A DER or PEM certificate file (the first certificate of a PEM chain). */
    public static X509Certificate readCertificate(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** An unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) RSA key, or the same as DER. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String text = new String(raw, StandardCharsets.US_ASCII);
        byte[] der = raw;
        if (text.contains("-----BEGIN")) {
            if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IOException(file + " must be an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----);"
                        + " convert it with: openssl pkcs8 -topk8 -nocrypt -in <key> -out " + file.getFileName());
            }
            String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            der = Base64.getDecoder().decode(body);
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IOException(file + " is not an RSA private key in PKCS#8: " + e.getMessage(), e);
        }
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
