package io.millwright.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ideal cycle times (seconds per part at the ideal rate; ISO 22400 "planned unit process time")
 * from {@code mappings/ideal-cycle-times.yaml}: per order, else per asset, else the default. Read
 * on each KPI request, so an edit applies at once; a broken file answers with its name and reason.
 */
final class IdealCycleTimes {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record File(@JsonProperty("default") Double defaultSeconds, Map<String, Double> assets, Map<String, Double> orders) {}

    private final File file;

    private IdealCycleTimes(File file) {
        this.file = file;
    }

    static IdealCycleTimes read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("ideal cycle times: " + path + " does not exist; it needs at least 'default: <seconds per part>'");
        }
        File file;
        try {
            file = YAML.readValue(path.toFile(), File.class);
        } catch (IOException e) {
            throw new IllegalStateException("ideal cycle times: " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (file == null || file.defaultSeconds() == null || !(file.defaultSeconds() > 0)) {
            throw new IllegalStateException("ideal cycle times: " + path + " needs 'default:' seconds per part, greater than 0");
        }
        check(path, "assets", file.assets());
        check(path, "orders", file.orders());
        return new IdealCycleTimes(file);
    }

    private static void check(Path path, String section, Map<String, Double> entries) {
        if (entries != null) {
            entries.forEach((key, seconds) -> {
                if (seconds == null || !(seconds > 0)) {
                    throw new IllegalStateException("ideal cycle times: " + path + " " + section + "." + key + " must be seconds per part greater than 0, was " + seconds);
                }
            });
        }
    }

    /** Seconds per part for an order on an asset. */
    double secondsPerPart(String asset, String orderId) {
        if (orderId != null && file.orders() != null && file.orders().containsKey(orderId)) {
            return file.orders().get(orderId);
        }
        if (asset != null && file.assets() != null && file.assets().containsKey(asset)) {
            return file.assets().get(asset);
        }
        return file.defaultSeconds();
    }
}
