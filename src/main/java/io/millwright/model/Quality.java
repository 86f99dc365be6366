package io.millwright.model;

/**
 * Quality of a shop-floor value, from the severity bits (31-30) of an OPC UA StatusCode
 * (OPC 10000-4, 7.39): 00 Good, 01 Uncertain, 10 Bad. A BAD value is never used for state or
 * counts; it travels only as a {@link Signal} so that consumers see the gap.
 */
public enum Quality {
    GOOD,
    UNCERTAIN,
    BAD;

    /** Maps a raw 32-bit OPC UA status code to its severity. */
    public static Quality ofOpcUaStatusCode(long statusCode) {
        int severity = (int) ((statusCode >>> 30) & 0b11);
        return switch (severity) {
            case 0 -> GOOD;
            case 1 -> UNCERTAIN;
            default -> BAD;
        };
    }
}
