package io.millwright.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Imports what PLM knows about an order into the mappings the hub works from: routings (ideal cycle
 * time per order, for OEE's performance: {@code mappings/ideal-cycle-times.yaml}, key {@code orders})
 * and bills of material (part number and components per part, for the SCM and PLM connectors:
 * {@code mappings/lookups/orders.yaml}). One file is all or nothing: each row is checked first and a
 * mistake names the file, the line, the column and the reason; the mapping files are then rewritten
 * atomically, keeping their leading comments and the entries the import does not touch.
 *
 * <p>Formats: CSV with a header row, either {@code order,ideal_cycle_seconds} (routing; an
 * {@code operation} column is allowed and kept out of the mapping) or
 * {@code order,material,component,quantity,unit} (bill of material, one row per component); or JSON
 * {@code {"routings": [{"order", "idealCycleSeconds"}], "boms": [{"order", "material",
 * "components": [{"material", "quantity", "unit"}]}]}}.
 */
final class PlmImport {

    /** What one file changed. */
    record Result(int routings, int boms) {}

    private record Routing(String order, double seconds) {}

    private record Bom(String order, String material, List<Map<String, Object>> components) {}

    private final Path mappingsDir;
    private final ObjectMapper json = new ObjectMapper();
    private final YAMLMapper yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    PlmImport(Path mappingsDir) {
        this.mappingsDir = mappingsDir;
    }

    Path idealCycleTimes() {
        return mappingsDir.resolve("ideal-cycle-times.yaml");
    }

    Path orders() {
        return mappingsDir.resolve("lookups/orders.yaml");
    }

    /** Checks the whole file, then applies it; throws {@link IllegalArgumentException} naming line and column. */
    synchronized Result importFile(String fileName, byte[] content) throws IOException {
        List<Routing> routings = new ArrayList<>();
        List<Bom> boms = new ArrayList<>();
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            readJson(fileName, content, routings, boms);
        } else if (lower.endsWith(".csv")) {
            readCsv(fileName, new String(content, StandardCharsets.UTF_8), routings, boms);
        } else {
            throw new IllegalArgumentException(fileName + ": only .csv and .json files are imported");
        }
        if (routings.isEmpty() && boms.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": no routing or bill of material in the file");
        }
        if (!routings.isEmpty()) {
            applyRoutings(routings);
        }
        if (!boms.isEmpty()) {
            applyBoms(boms);
        }
        return new Result(routings.size(), boms.size());
    }

    private static IllegalArgumentException invalid(String file, int line, String column, String reason) {
        return new IllegalArgumentException(file + " line " + line + " column " + column + ": " + reason);
    }

    private void readCsv(String file, String text, List<Routing> routings, List<Bom> boms) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty file");
        }
        List<String> header = List.of(lines.get(0).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).split("\\s*[,;]\\s*"));
        boolean routing = header.contains("ideal_cycle_seconds");
        boolean bom = header.contains("component");
        if (routing == bom) {
            throw invalid(file, 1, "(header)", "must be a routing (order,ideal_cycle_seconds) or a bill of material "
                    + "(order,material,component,quantity,unit), not " + header);
        }
        List<String> required = routing ? List.of("order", "ideal_cycle_seconds")
                : List.of("order", "material", "component", "quantity", "unit");
        for (String column : required) {
            if (!header.contains(column)) {
                throw invalid(file, 1, column, "column missing from the header " + header);
            }
        }
        Map<String, Bom> byOrder = new LinkedHashMap<>();
        Map<String, Integer> routingLine = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split("\\s*[,;]\\s*", -1);
            if (cells.length != header.size()) {
                throw invalid(file, lineNo, "(row)", "has " + cells.length + " cells, the header " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                row.put(header.get(c), cells[c].trim());
            }
            String order = order(file, lineNo, row.get("order"));
            if (routing) {
                Integer earlier = routingLine.put(order, lineNo);
                if (earlier != null) {
                    throw invalid(file, lineNo, "order", "order " + order + " has a cycle time on line " + earlier
                            + " already; OEE takes one ideal cycle time per order (the bottleneck operation's)");
                }
                routings.add(new Routing(order, positive(file, lineNo, "ideal_cycle_seconds", row.get("ideal_cycle_seconds"))));
            } else {
                String material = text(file, lineNo, "material", row.get("material"));
                Bom entry = byOrder.computeIfAbsent(order, o -> new Bom(o, material, new ArrayList<>()));
                if (!entry.material().equals(material)) {
                    throw invalid(file, lineNo, "material", "order " + order + " makes " + entry.material()
                            + " on an earlier line, not " + material);
                }
                entry.components().add(component(file, lineNo, row.get("component"), row.get("quantity"), row.get("unit")));
            }
        }
        boms.addAll(byOrder.values());
    }

    private void readJson(String file, byte[] content, List<Routing> routings, List<Bom> boms) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof ObjectNode)) {
            throw new IllegalArgumentException(file + ": must be an object with routings and/or boms");
        }
        int index = 0;
        for (JsonNode r : root.path("routings")) {
            String at = "routings[" + index++ + "]";
            routings.add(new Routing(order(file, at + ".order", r.path("order").asText(null)),
                    positive(file, 0, at + ".idealCycleSeconds", r.path("idealCycleSeconds").asText(null))));
        }
        index = 0;
        for (JsonNode b : root.path("boms")) {
            String at = "boms[" + index++ + "]";
            List<Map<String, Object>> components = new ArrayList<>();
            int c = 0;
            for (JsonNode component : b.path("components")) {
                String where = at + ".components[" + c++ + "]";
                try {
                    components.add(component(file, 0, component.path("material").asText(null),
                            component.path("quantity").asText(null), component.path("unit").asText(null)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage().replace(" line 0 column ", " field " + where + "."));
                }
            }
            if (components.isEmpty()) {
                throw new IllegalArgumentException(file + " field " + at + ".components: at least one component");
            }
            boms.add(new Bom(order(file, at + ".order", b.path("order").asText(null)),
                    text(file, 0, at + ".material", b.path("material").asText(null)), components));
        }
    }

    private static String order(String file, int line, String value) {
        if (value == null || !value.matches("[A-Za-z0-9]{1,12}")) {
            throw invalid(file, line, "order", "a production order is 1 to 12 letters or digits, not '" + value + "'");
        }
        return value;
    }

    private static String order(String file, String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9]{1,12}")) {
            throw new IllegalArgumentException(file + " field " + field + ": a production order is 1 to 12 letters or digits, not '" + value + "'");
        }
        return value;
    }

    private static String text(String file, int line, String column, String value) {
        if (value == null || value.isBlank() || value.length() > 40) {
            throw invalid(file, line, column, "required, at most 40 characters");
        }
        return value;
    }

    private static double positive(String file, int line, String column, String value) {
        try {
            double number = Double.parseDouble(value);
            if (number > 0 && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw invalid(file, line, column, "must be a number above 0, not '" + value + "'");
    }

    private static Map<String, Object> component(String file, int line, String material, String quantity, String unit) {
        Map<String, Object> component = new LinkedHashMap<>();
        component.put("material", text(file, line, "component", material));
        double amount = positive(file, line, "quantity", quantity);
        component.put("quantity", amount == Math.rint(amount) ? (Object) (long) amount : amount);
        if (unit == null || !unit.matches("[A-Za-z]{1,3}")) {
            throw invalid(file, line, "unit", "a unit of measure is 1 to 3 letters (e.g. PC, KG), not '" + unit + "'");
        }
        component.put("unit", unit.toUpperCase(Locale.ROOT));
        return component;
    }

    private void applyRoutings(List<Routing> routings) throws IOException {
        Path file = idealCycleTimes();
        ObjectNode root = readYaml(file);
        ObjectNode orders = root.path("orders") instanceof ObjectNode existing ? existing : root.putObject("orders");
        routings.forEach(r -> orders.put(r.order(), r.seconds()));
        if (!root.has("default")) {
            root.put("default", 0.2);
        }
        if (!root.has("assets")) {
            root.putObject("assets");
        }
        write(file, root);
    }

    private void applyBoms(List<Bom> boms) throws IOException {
        Path file = orders();
        ObjectNode root = readYaml(file);
        for (Bom bom : boms) {
            ObjectNode order = root.path(bom.order()) instanceof ObjectNode existing ? existing : root.putObject(bom.order());
            order.put("material", bom.material());
            order.set("components", json.valueToTree(bom.components()));
        }
        write(file, root);
    }

    private ObjectNode readYaml(Path file) throws IOException {
        if (!Files.exists(file)) {
            return json.createObjectNode();
        }
        JsonNode node = yaml.readTree(file.toFile());
        return node instanceof ObjectNode object ? object : json.createObjectNode();
    }

    /** Keeps the file's leading comment block; writes beside it and moves over it in one step. */
    private void write(Path file, ObjectNode content) throws IOException {
        String comments = Files.exists(file)
                ? Files.readAllLines(file).stream().takeWhile(l -> l.startsWith("#")).collect(Collectors.joining("\n"))
                : "";
        String text = (comments.isEmpty() ? "" : comments + "\n") + yaml.writeValueAsString(content);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
