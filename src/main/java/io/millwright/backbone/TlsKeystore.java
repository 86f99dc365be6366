package io.millwright.backbone;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key store file (PKCS12 or JKS) holding a broker's private key and certificate, for a TLS
 * listener; its password comes from the environment, never from a file.
 *
 * @param path the key store file
 * @param password the store's password (also the key's, as {@code keytool -genkeypair} makes it for PKCS12)
 * @param type {@code PKCS12} or {@code JKS}
 */
public record TlsKeystore(Path path, String password, String type) {

    public TlsKeystore {
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("TLS key store " + path + " is not a readable file;"
                    + " make one with keytool -genkeypair (see README \"Security\", TLS) or unset the key store setting");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("TLS key store " + path + " needs its password"
                    + " (from the environment, e.g. MILLWRIGHT_TLS_KEYSTORE_PASSWORD)");
        }
        type = type == null || type.isBlank() ? "PKCS12" : type;
        path = path.toAbsolutePath().normalize();
    }

    /** The key store a {@code ...keystore} setting names, or null (no TLS) when the setting is blank. */
    public static TlsKeystore fromSetting(String path, String password, String type) {
        return path == null || path.isBlank() ? null : new TlsKeystore(Path.of(path), password, type);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TlsKeystore[path=" + path + ", password=******, type=" + type + "]";
    }
}
