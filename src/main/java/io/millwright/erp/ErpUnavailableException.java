package io.millwright.erp;

/**
 * SAP could not be reached or did not give a verdict (5xx, timeout, connection refused, logon
 * refused). Retryable: the confirmation stays pending. Whether SAP committed it is unknown, so
 * the next attempt reads back by idempotency key before posting again.
 */
public class ErpUnavailableException extends ErpException {

    private static final long serialVersionUID = 1L;

    public ErpUnavailableException(String message, String orderId, String operation, String idempotencyKey,
            int httpStatus, Throwable cause) {
        super(message, orderId, operation, idempotencyKey, httpStatus, cause);
    }
}
