package io.millwright.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.OrderOperationEvent;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.production.OrderContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order dispatch in (MES to hub): checks a dispatch against {@code mappings/schemas/dispatch.v1.schema.json},
 * records it in the {@link OrderContext} (where a node value still takes precedence) and returns
 * the {@code order-started} / {@code order-completed} events it gives, for the caller to publish.
 * The same dispatch twice gives no second event.
 */
public class DispatchService {

    /** Schema file under the mappings folder. */
    static final String SCHEMA = "schemas/dispatch.v1.schema.json";
    static final String SOURCE = "millwright://dispatch";

    private static final Logger log = LoggerFactory.getLogger(DispatchService.class);

    /** What a dispatch did: the work unit's dispatch afterwards and the events to publish. */
    public record Result(String workUnit, String orderId, String operation, String dispatchStatus,
            List<EventEnvelope<OrderOperationEvent>> events) {}

    private final OrderContext orders;
    private final ObjectMapper json;
    private final JsonSchema schema;

    public DispatchService(OrderContext orders, ObjectMapper json, HubDirectoriesProperties directories) {
        this.orders = orders;
        this.json = json;
        this.schema = load(directories.mappings().resolve(SCHEMA));
    }

    private static JsonSchema load(Path file) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException("Dispatch schema not readable: " + file.toAbsolutePath(), e);
        }
    }

    /** Applies a dispatch given as JSON text; bad input throws naming the field and the reason. */
    public Result apply(String text, String correlationId) {
        JsonNode dispatch;
        try {
            dispatch = json.readTree(text);
        } catch (IOException e) {
            throw InvalidEventException.field("body", null, "is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (dispatch == null || !dispatch.isObject()) {
            throw InvalidEventException.field("body", null, "must be a JSON object");
        }
        Set<ValidationMessage> problems = schema.validate(dispatch);
        if (!problems.isEmpty()) {
            ValidationMessage first = problems.stream().min(Comparator.comparing(ValidationMessage::getMessage)).orElseThrow();
            String field = "required".equals(first.getType()) || "additionalProperties".equals(first.getType())
                    ? first.getProperty()
                    : first.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "").replaceFirst("^/", "").replace('/', '.');
            throw InvalidEventException.field(field.isEmpty() ? "body" : field, first.getInstanceNode(), first.getMessage());
        }
        String workUnit = dispatch.path("workUnit").asText();
        String orderId = dispatch.path("jobOrder").asText();
        String operation = dispatch.path("operation").asText();
        String status = dispatch.path("dispatchStatus").asText("Running");
        String dispatchId = dispatch.hasNonNull("id") ? dispatch.path("id").asText() : null;
        Instant startTime = dispatch.hasNonNull("startTime") ? Instant.parse(dispatch.path("startTime").asText()) : Instant.now();
        List<EventEnvelope<OrderOperationEvent>> events = new ArrayList<>();
        if (status.equals("Running")) {
            Optional<OrderContext.Dispatch> before = orders.dispatch(workUnit,
                    new OrderContext.Dispatch(orderId, operation, startTime, dispatchId));
            boolean same = before.isPresent() && before.get().orderOperation().equals(new OrderContext.OrderOperation(orderId, operation));
            if (!same) {
                before.ifPresent(previous -> events.add(event(EventType.ORDER_COMPLETED, workUnit, correlationId,
                        new OrderOperationEvent(previous.orderId(), previous.operation(), "dispatch", previous.startTime(), startTime,
                                previous.dispatchId()))));
                events.add(event(EventType.ORDER_STARTED, workUnit, correlationId,
                        new OrderOperationEvent(orderId, operation, "dispatch", startTime, null, dispatchId)));
            }
        } else {
            Instant endTime = dispatch.hasNonNull("endTime") ? Instant.parse(dispatch.path("endTime").asText()) : Instant.now();
            Optional<OrderContext.Dispatch> running = orders.dispatched(workUnit);
            if (orders.completeDispatch(workUnit, new OrderContext.OrderOperation(orderId, operation))) {
                events.add(event(EventType.ORDER_COMPLETED, workUnit, correlationId, new OrderOperationEvent(orderId, operation,
                        "dispatch", running.map(OrderContext.Dispatch::startTime).orElse(null), endTime, dispatchId)));
            }
        }
        log.info("Dispatch applied workUnit={} order={} operation={} status={} events={}", workUnit, orderId, operation, status,
                events.size());
        return new Result(workUnit, orderId, operation, status, events);
    }

    private static EventEnvelope<OrderOperationEvent> event(EventType type, String workUnit, String correlationId,
            OrderOperationEvent data) {
        return EventEnvelope.of(type, SOURCE, workUnit, data.endTime() != null ? data.endTime() : data.startTime(), correlationId, data);
    }
}
