package io.millwright.model;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A confirmation of produced quantities for one order operation, as the ERP receives it. The
 * idempotency key is deterministic, so the hub can find a posted confirmation again in the ERP.
 */
public record ProductionConfirmation(
        String orderId,
        String operation,
        BigDecimal yieldQuantity,
        BigDecimal scrapQuantity,
        String unit,
        boolean finalConfirmation,
        LocalDate postingDate,
        String idempotencyKey) {

    public ProductionConfirmation {
        InvalidEventException.required("orderId", orderId);
        InvalidEventException.required("operation", operation);
        InvalidEventException.required("yieldQuantity", yieldQuantity);
        InvalidEventException.required("scrapQuantity", scrapQuantity);
        InvalidEventException.required("unit", unit);
        InvalidEventException.required("postingDate", postingDate);
        InvalidEventException.required("idempotencyKey", idempotencyKey);
        if (yieldQuantity.signum() < 0) {
            throw InvalidEventException.field("yieldQuantity", yieldQuantity, "must not be negative");
        }
        if (scrapQuantity.signum() < 0) {
            throw InvalidEventException.field("scrapQuantity", scrapQuantity, "must not be negative");
        }
        if (idempotencyKey.length() > 40) {
            throw InvalidEventException.field("idempotencyKey", idempotencyKey, "must fit SAP's ConfirmationText (40 characters)");
        }
    }
}
