package io.millwright.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

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

    /**
     * Copies the shipped JSON Schemas ({@code mappings/schemas/}) into a test's own mappings folder:
     * the hub reads its contracts (e.g. the dispatch schema) from the mappings folder it is given.
     */
    public static void copyShippedSchemas(Path mappingsDir) {
        Path shipped = Path.of("mappings", "schemas");
        try (Stream<Path> files = Files.list(shipped)) {
            Path target = Files.createDirectories(mappingsDir.resolve("schemas"));
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
