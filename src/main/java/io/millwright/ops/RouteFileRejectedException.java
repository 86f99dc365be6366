package io.millwright.ops;

/**
 * A route file that cannot be loaded: names the file, the position in it when the parser gives
 * one (1-based), and the reason, as one operator-readable sentence.
 */
class RouteFileRejectedException extends Exception {

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    RouteFileRejectedException(String file, int line, int column, String reason, Throwable cause) {
        super(format(file, line, column, reason), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    RouteFileRejectedException(String file, String reason) {
        this(file, 0, 0, reason, null);
    }

    String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    int column() {
        return column;
    }

    String reason() {
        return reason;
    }

    /** {@code " line=7 column=11"} for log lines, or empty when the position is unknown. */
    String position() {
        if (line <= 0) {
            return "";
        }
        return " line=" + line + (column > 0 ? " column=" + column : "");
    }

    private static String format(String file, int line, int column, String reason) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(reason).toString();
    }
}
