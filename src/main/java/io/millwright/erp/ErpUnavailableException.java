package io.millwright.erp;

/**
 * SAP could not be reached or did not give a verdict (408, 429, 5xx, a lock, a timeout, connection
 * refused, a 2xx the hub cannot read). Retryable: the confirmation stays pending. Whether SAP
 * committed it is unknown, so the next attempt reads back by idempotency key before posting again;
 * when SAP did not answer at all ({@link #answered()} false: a timeout, a gateway's 502/504), not
 * before SAP's processing timeout has passed (issue 8, hole 4).
 */
public class ErpUnavailableException extends ErpException {

    private static final long serialVersionUID = 1L;

    private final boolean answered;

    public ErpUnavailableException(String message, String orderId, String operation, String idempotencyKey,
            int httpStatus, Throwable cause) {
        this(message, orderId, operation, idempotencyKey, httpStatus, cause, answeredBySap(httpStatus));
    }

    public ErpUnavailableException(String message, String orderId, String operation, String idempotencyKey,
            int httpStatus, Throwable cause, boolean answered) {
        super(message, orderId, operation, idempotencyKey, httpStatus, cause);
        this.answered = answered;
    }

    /**
     * Whether SAP itself answered, so it finished with the request (committed or not) and a
     * read-back right away is reliable. False for no answer, 408 and a gateway's 502 or 504.
     */
    public boolean answered() {
        return answered;
    }

    private static boolean answeredBySap(int httpStatus) {
        return httpStatus != 0 && httpStatus != 408 && httpStatus != 502 && httpStatus != 504;
    }
}
