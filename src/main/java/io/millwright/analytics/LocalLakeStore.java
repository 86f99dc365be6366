package io.millwright.analytics;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The lake under {@code <data-dir>/lake/}: a finished file is renamed into place, so a reader never sees half a file. */
final class LocalLakeStore implements LakeStore {

    private final Path root;

    LocalLakeStore(Path root) {
        this.root = root;
    }

    @Override
    public void publish(Path written, Path localTarget, String key) throws IOException {
        move(written, localTarget);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public String location() {
        return root.toString();
    }
}
