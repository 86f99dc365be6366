package io.millwright.erp;

/**
 * SAP refused the hub's logon or authorization (HTTP 401 or 403 that is not a CSRF refresh):
 * retrying the same call will not help until someone fixes the user or its roles. The confirmation
 * is parked with the reason and an alert is raised (issue 8, hole 6); resubmitting it after the fix
 * reads it back first, then posts it.
 */
public class ErpAuthorizationException extends ErpRejectedException {

    private static final long serialVersionUID = 1L;

    public ErpAuthorizationException(String message, String orderId, String operation, String idempotencyKey, int httpStatus) {
        super(message, orderId, operation, idempotencyKey, httpStatus, null);
    }
}
