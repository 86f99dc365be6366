package io.millwright.erp;

/**
 * SAP refused the confirmation for a business reason (unknown order, closed operation, wrong
 * unit...). Retrying the same payload will not help: the confirmation is parked for a person.
 */
public class ErpRejectedException extends ErpException {

    private static final long serialVersionUID = 1L;

    private final String sapCode;

    public ErpRejectedException(String message, String orderId, String operation, String idempotencyKey,
            int httpStatus, String sapCode) {
        super(message, orderId, operation, idempotencyKey, httpStatus, null);
        this.sapCode = sapCode;
    }

    /** SAP's message id (T100 class/number, e.g. {@code RU/105}), or null when SAP sent none. */
    public String sapCode() {
        return sapCode;
    }
}
