package io.millwright.sim.erp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.olingo.odata2.api.batch.BatchHandler;
import org.apache.olingo.odata2.api.batch.BatchRequestPart;
import org.apache.olingo.odata2.api.batch.BatchResponsePart;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.apache.olingo.odata2.api.ep.EntityProviderBatchProperties;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.api.processor.ODataRequest;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.processor.ODataSingleProcessor;

/**
 * {@code $batch} as SAP Gateway handles it, for every simulated service (confirmations, material
 * documents, maintenance notifications): the parts in order, each changeset one unit whose first
 * error ends it and is its only response (SAP rolls the changeset back), and SAP's processing time
 * ({@link ErpSimulator#delayEachPost}) spent per changeset, not once per HTTP request. A changeset
 * for an order the user may not post for is refused there with 403 and SAP's error JSON, while the
 * other changesets of the batch are processed.
 */
abstract class BatchingProcessor extends ODataSingleProcessor {

    /** What the simulator applies per changeset: its processing time and the forbidden orders. */
    static final class Changesets {

        volatile Duration delay = Duration.ZERO;
        final Set<String> forbiddenOrders;

        Changesets(Set<String> forbiddenOrders) {
            this.forbiddenOrders = forbiddenOrders;
        }
    }

    private final Changesets changesets;

    BatchingProcessor(Changesets changesets) {
        this.changesets = changesets;
    }

    /**
     * {@code $batch} (OData V2 part 1, 2.2.7.6): each part handled in order, a changeset as one unit
     * ({@link #executeChangeSet}); answered 202 with one response part per request part.
     */
    @Override
    public ODataResponse executeBatch(BatchHandler handler, String contentType, InputStream content) throws ODataException {
        List<BatchRequestPart> parts = EntityProvider.parseBatchRequest(contentType, content,
                EntityProviderBatchProperties.init().pathInfo(getContext().getPathInfo()).build());
        List<BatchResponsePart> responses = new ArrayList<>(parts.size());
        for (BatchRequestPart part : parts) {
            responses.add(handler.handleBatchPart(part));
        }
        return EntityProvider.writeBatchResponse(responses);
    }

    /**
     * A changeset: SAP's processing time once, then its requests in order; the first error ends it
     * and is its only response (the hub's changesets hold one document each, so nothing is booked for it).
     */
    @Override
    public BatchResponsePart executeChangeSet(BatchHandler handler, List<ODataRequest> requests) throws ODataException {
        Duration delay = changesets.delay;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ODataException("interrupted", e);
            }
        }
        List<ODataResponse> responses = new ArrayList<>(requests.size());
        for (ODataRequest request : requests) {
            ODataRequest readable = request;
            if (!changesets.forbiddenOrders.isEmpty() && request.getBody() != null) {
                byte[] body = readAll(request.getBody());
                String text = new String(body, StandardCharsets.UTF_8);
                String forbidden = changesets.forbiddenOrders.stream()
                        .filter(order -> text.contains("\"OrderID\":\"" + order + "\"")
                                || text.contains("\"ManufacturingOrder\":\"" + order + "\""))
                        .findFirst().orElse(null);
                if (forbidden != null) {
                    return BatchResponsePart.responses(List.of(forbidden(forbidden))).changeSet(false).build();
                }
                readable = ODataRequest.fromRequest(request).body(new ByteArrayInputStream(body)).build();
            }
            ODataResponse response = handler.handleRequest(readable);
            if (response.getStatus().getStatusCode() >= 400) {
                return BatchResponsePart.responses(List.of(response)).changeSet(false).build();
            }
            responses.add(response);
        }
        return BatchResponsePart.responses(responses).changeSet(true).build();
    }

    private static ODataResponse forbidden(String order) {
        return ODataResponse.status(HttpStatusCodes.FORBIDDEN).contentHeader("application/json")
                .entity("{\"error\":{\"code\":\"CO/004\",\"message\":{\"lang\":\"en\",\"value\":\"No authorization for order "
                        + order + "\"}}}").build();
    }

    private static byte[] readAll(InputStream body) {
        try (body) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
