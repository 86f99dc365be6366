package io.millwright.connectors;

import java.nio.file.Path;

/** A connector file that cannot run, naming the file, the key and the reason. */
class InvalidConnectorFileException extends RuntimeException {

    private final transient Path file;
    private final String key;

    InvalidConnectorFileException(Path file, String key, String reason) {
        super("Connector file rejected file=" + file + " key=" + key + " reason=" + reason);
        this.file = file;
        this.key = key;
    }

    Path file() {
        return file;
    }

    String key() {
        return key;
    }
}
