package io.millwright.sim.erp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The confirmations the simulated SAP system holds, and the rules it checks before it accepts
 * one. Every accepted confirmation is appended to a JSON-lines file and forced to disk before
 * the caller gets its response, so "committed" means what it means in SAP.
 */
class ConfirmationBook {

    /** Where a new group number starts (SAP's RUECK is a 10-digit number range). */
    private static final long FIRST_GROUP = 100001L;

    private final Map<String, ErpSimulatorProperties.ReleasedOrder> orders = new LinkedHashMap<>();
    private final List<Confirmation> confirmations = new ArrayList<>();
    private final Map<String, String> groupByOrderOperation = new LinkedHashMap<>();
    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    ConfirmationBook(List<ErpSimulatorProperties.ReleasedOrder> releasedOrders, Path stateDir, Clock clock) {
        releasedOrders.forEach(order -> orders.put(order.orderId(), order));
        this.file = stateDir.resolve("confirmations.jsonl");
        this.clock = clock;
        load();
    }

    int orderCount() {
        return orders.size();
    }

    synchronized List<Confirmation> all() {
        return List.copyOf(confirmations);
    }

    synchronized Optional<Confirmation> find(String group, String count) {
        return confirmations.stream()
                .filter(c -> c.confirmationGroup().equals(group) && c.confirmationCount().equals(count))
                .findFirst();
    }

    /**
     * Checks and books a confirmation from the properties Olingo read from the request.
     *
     * @throws SapBusinessException when SAP would reject it; nothing is booked then
     */
    synchronized Confirmation create(Map<String, Object> in, String user) throws SapBusinessException {
        String orderId = text(in, "OrderID");
        if (orderId.isEmpty()) {
            throw new SapBusinessException("RU/100", "OrderID", "Enter an order number");
        }
        ErpSimulatorProperties.ReleasedOrder order = orders.get(orderId);
        if (order == null) {
            throw new SapBusinessException("RU/105", "OrderID", "Order " + orderId + " does not exist");
        }
        String operation = text(in, "OrderOperation");
        if (operation.isEmpty()) {
            throw new SapBusinessException("RU/107", "OrderOperation", "Enter an operation for order " + orderId);
        }
        if (!order.operations().contains(operation)) {
            throw new SapBusinessException("RU/106", "OrderOperation",
                    "Operation " + operation + " does not exist in order " + orderId);
        }
        BigDecimal yield = quantity(in, "ConfirmationYieldQuantity");
        BigDecimal scrap = quantity(in, "ConfirmationScrapQuantity");
        BigDecimal rework = quantity(in, "ConfirmationReworkQuantity");
        String unit = text(in, "ConfirmationUnit");
        if (unit.isEmpty()) {
            unit = order.unit();
        } else if (!unit.equals(order.unit())) {
            throw new SapBusinessException("RU/411", "ConfirmationUnit",
                    "Unit " + unit + " is not the unit of order " + orderId + " (" + order.unit() + ")");
        }
        Instant now = clock.instant();
        String finalType = text(in, "FinalConfirmationType");
        String group = groupByOrderOperation.computeIfAbsent(orderId + "/" + operation, key -> nextGroup());
        long count = confirmations.stream().filter(c -> c.confirmationGroup().equals(group)).count() + 1;
        Confirmation confirmation = new Confirmation(
                group,
                String.format("%08d", count),
                orderId,
                text(in, "Sequence").isEmpty() ? "0" : text(in, "Sequence"),
                operation,
                yield,
                scrap,
                rework,
                unit,
                postingDate(in, now),
                finalType,
                "X".equals(finalType) || Boolean.TRUE.equals(in.get("IsFinalConfirmation")),
                text(in, "ConfirmationText"),
                order.plant(),
                order.workCenter(),
                text(in, "Personnel"),
                in.get("ExternalSystemConfirmation") instanceof UUID uuid ? uuid : null,
                user.toUpperCase(java.util.Locale.ROOT),
                now);
        append(confirmation);
        confirmations.add(confirmation);
        return confirmation;
    }

    private String nextGroup() {
        long max = groupByOrderOperation.values().stream().mapToLong(Long::parseLong).max().orElse(FIRST_GROUP - 1);
        return String.format("%010d", max + 1);
    }

    private static String text(Map<String, Object> in, String name) {
        Object value = in.get(name);
        return value == null ? "" : value.toString().trim();
    }

    private static BigDecimal quantity(Map<String, Object> in, String name) throws SapBusinessException {
        Object value = in.get(name);
        BigDecimal quantity = value == null ? BigDecimal.ZERO : new BigDecimal(value.toString());
        if (quantity.signum() < 0) {
            throw new SapBusinessException("RU/320", name,
                    "Quantity " + quantity.toPlainString() + " in " + name + " must not be negative");
        }
        return quantity.setScale(3, java.math.RoundingMode.HALF_UP);
    }

    private static LocalDate postingDate(Map<String, Object> in, Instant now) {
        if (in.get("PostingDate") instanceof Calendar calendar) {
            return Instant.ofEpochMilli(calendar.getTimeInMillis()).atZone(ZoneOffset.UTC).toLocalDate();
        }
        return now.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    Confirmation confirmation = json.readValue(line, Confirmation.class);
                    confirmations.add(confirmation);
                    groupByOrderOperation.put(confirmation.orderId() + "/" + confirmation.orderOperation(),
                            confirmation.confirmationGroup());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ERP simulator cannot read its confirmations from " + file
                    + "; fix or delete the file", e);
        }
    }

    private void append(Confirmation confirmation) {
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (json.writeValueAsString(confirmation) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap(line));
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ERP simulator cannot write to " + file, e);
        }
    }
}
