package io.millwright.erp;

/** A confirmation could not be posted to the ERP; carries the confirmation's identifiers. */
public abstract class ErpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String orderId;
    private final String operation;
    private final String idempotencyKey;
    private final int httpStatus;

    protected ErpException(String message, String orderId, String operation, String idempotencyKey, int httpStatus,
            Throwable cause) {
        super(message, cause);
        this.orderId = orderId;
        this.operation = operation;
        this.idempotencyKey = idempotencyKey;
        this.httpStatus = httpStatus;
    }

    public String orderId() {
        return orderId;
    }

    public String operation() {
        return operation;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** HTTP status SAP answered with; 0 when there was no answer (timeout, connection refused). */
    public int httpStatus() {
        return httpStatus;
    }
}
