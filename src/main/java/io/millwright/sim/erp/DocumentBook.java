package io.millwright.sim.erp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The documents of one simulated entity set (material documents, maintenance notifications) as
 * Olingo's entity maps, in memory: kept for the simulator's life, not across restarts (unlike
 * confirmations, see docs/erp.md). Numbers come from a number range, as SAP assigns them.
 */
class DocumentBook {

    private final List<Map<String, Object>> documents = new ArrayList<>();
    private final AtomicLong numbers;
    private final String format;

    /**
     * @param first the first number of the range, e.g. 4900000001
     * @param format how a number is written, e.g. {@code %010d}
     */
    DocumentBook(long first, String format) {
        this.numbers = new AtomicLong(first);
        this.format = format;
    }

    String nextNumber() {
        return String.format(format, numbers.getAndIncrement());
    }

    synchronized void add(Map<String, Object> document) {
        documents.add(new LinkedHashMap<>(document));
    }

    synchronized List<Map<String, Object>> all() {
        List<Map<String, Object>> copy = new ArrayList<>();
        documents.forEach(d -> copy.add(new LinkedHashMap<>(d)));
        return copy;
    }
}
