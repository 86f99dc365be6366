package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientPkiTest {

    @TempDir
    Path dir;

    @Test
    void certificateGeneratedOnFirstOpen_inMiloLayout_thenReused() throws Exception {
        X509Certificate first;
        try (ClientPki pki = ClientPki.open(dir)) {
            first = pki.certificate();
            assertThat(pki.applicationUri()).startsWith("urn:").endsWith(":millwright:hub");
            assertThat(CertificateUtil.getSanUri(first)).contains(pki.applicationUri());
            assertThat(CertificateUtil.getSanDnsNames(first)).isNotEmpty();
        }
        for (String folder : new String[] {"trusted/certs", "trusted/crl", "issuers/certs", "issuers/crl", "rejected"}) {
            assertThat(dir.resolve(folder)).isDirectory();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ClientPki.OWN_KEY))))
                .isEqualTo("rw-------");

        try (ClientPki again = ClientPki.open(dir)) {
            assertThat(again.certificate()).isEqualTo(first);
            assertThat(again.keyPair().getPrivate().getEncoded()).isNotEmpty();
        }
    }

    @Test
    void operatorsOwnCertificate_isUsed_withItsApplicationUri() throws Exception {
        KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate own = new SelfSignedCertificateBuilder(keys).setCommonName("plant hub")
                .setApplicationUri("urn:acme:plant1:hub").addDnsName("hub.plant1.acme").build();
        Files.createDirectories(dir.resolve("own/certs"));
        Files.createDirectories(dir.resolve("own/private"));
        Files.write(dir.resolve(ClientPki.OWN_CERTIFICATE), own.getEncoded());
        Files.writeString(dir.resolve(ClientPki.OWN_KEY), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        try (ClientPki pki = ClientPki.open(dir)) {
            assertThat(pki.certificate()).isEqualTo(own);
            assertThat(pki.applicationUri()).isEqualTo("urn:acme:plant1:hub");
            assertThat(pki.keyPair().getPrivate()).isEqualTo(keys.getPrivate());
        }
    }

    @Test
    void certificateOfAFreshDir_isGeneratedApartFromTheOpen_andWhatTheAccessorsGiveIsWhatWasWritten() throws Exception {
        try (ClientPki pki = ClientPki.open(dir)) {
            // open() leaves the RSA key pair to the thread opcua-client-certificate; the accessors wait for it
            X509Certificate certificate = pki.certificate();
            assertThat(ClientPki.readCertificate(dir.resolve(ClientPki.OWN_CERTIFICATE))).isEqualTo(certificate);
            assertThat(pki.keyPair().getPublic()).isEqualTo(certificate.getPublicKey());
            assertThat(ClientPki.readPrivateKey(dir.resolve(ClientPki.OWN_KEY))).isEqualTo(pki.keyPair().getPrivate());
        }
    }

    @Test
    void certificateThatCannotBeWritten_failsItsFirstUse_namingTheFolder() throws Exception {
        // a folder (not empty) where the key file belongs: the generated key cannot be written
        Files.createDirectories(dir.resolve(ClientPki.OWN_KEY).resolve("blocker"));
        try (ClientPki pki = ClientPki.open(dir)) {
            assertThatThrownBy(pki::certificate)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot create the OPC UA client certificate in " + dir.toAbsolutePath());
        }
    }
}
