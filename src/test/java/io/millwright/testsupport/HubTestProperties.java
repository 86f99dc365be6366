package io.millwright.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared settings for tests that start the hub's Spring context. */
public final class HubTestProperties {

    private HubTestProperties() {}

    /** A fresh data directory under target/, so that each test context starts from an empty store. */
    public static String newDataDir(String name) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(base, name + "-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
