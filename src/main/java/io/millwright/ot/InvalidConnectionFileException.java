package io.millwright.ot;

import java.nio.file.Path;

/** A connection file that cannot be used: which file, which key, why, and on which line. */
public class InvalidConnectionFileException extends RuntimeException {

    private final transient Path file;
    private final String key;

    public InvalidConnectionFileException(Path file, String key, String reason) {
        this(file, key, reason, null);
    }

    public InvalidConnectionFileException(Path file, String key, String reason, Throwable cause) {
        super(file + ": " + (key == null ? "" : "'" + key + "' ") + reason + line(file, key), cause);
        this.file = file;
        this.key = key;
    }

    private static String line(Path file, String key) {
        int line = ConnectionFileLines.lineOf(file, key);
        return line < 0 ? "" : " (line " + line + ")";
    }

    public Path file() {
        return file;
    }

    /** The offending key, e.g. {@code endpoint} or {@code nodes[3]}; null for the whole file. */
    public String key() {
        return key;
    }
}
