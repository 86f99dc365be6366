package io.millwright.erp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bill of materials the hub issues material by ({@code mappings/bom.yaml}): per production order,
 * the components one counted part (good or scrap) consumes. Read once at start; a broken file stops
 * the start with file, order, entry and reason.
 */
class BillOfMaterials {

    /**
     * One component of an order.
     *
     * @param material SAP material number (up to 40 characters)
     * @param plant plant (4)
     * @param storageLocation storage location it is issued from (4)
     * @param quantityPerPart quantity one part consumes, in {@code unit}
     * @param unit SAP unit of entry (EntryUnit, up to 3 characters), e.g. KG
     */
    record Component(String material, String plant, String storageLocation, BigDecimal quantityPerPart, String unit) {}

    record File(Map<String, List<Component>> orders) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, List<Component>> orders;

    BillOfMaterials(Map<String, List<Component>> orders) {
        this.orders = orders == null ? Map.of() : Map.copyOf(orders);
    }

    /** The file's bill of materials; none if the file does not exist. */
    static BillOfMaterials load(Path file) {
        if (!Files.exists(file)) {
            return new BillOfMaterials(Map.of());
        }
        try {
            File parsed = YAML.readValue(file.toFile(), File.class);
            BillOfMaterials bom = new BillOfMaterials(parsed == null ? Map.of() : parsed.orders());
            bom.validate(file.toString());
            return bom;
        } catch (IOException e) {
            throw new IllegalStateException(file + ": not a bill of materials (orders: {<order>: [{material, plant, storageLocation,"
                    + " quantityPerPart, unit}]}): " + e.getMessage(), e);
        }
    }

    private void validate(String where) {
        orders.forEach((order, components) -> {
            for (int i = 0; i < components.size(); i++) {
                Component c = components.get(i);
                String entry = where + ": order '" + order + "' component " + (i + 1) + " ";
                require(c.material() != null && !c.material().isBlank() && c.material().length() <= 40, entry + "needs 'material' (1 to 40 characters)");
                require(c.plant() != null && c.plant().length() == 4, entry + "needs a 4-character 'plant', e.g. 1010");
                require(c.storageLocation() == null || c.storageLocation().length() <= 4, entry + "'storageLocation' has at most 4 characters");
                require(c.quantityPerPart() != null && c.quantityPerPart().signum() > 0, entry + "needs 'quantityPerPart' greater than 0");
                require(c.unit() != null && !c.unit().isBlank() && c.unit().length() <= 3, entry + "needs 'unit' (SAP unit, up to 3 characters, e.g. KG)");
            }
        });
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    List<Component> components(String orderId) {
        return orders.getOrDefault(orderId, List.of());
    }
}
