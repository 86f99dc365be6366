package io.millwright.erp;

/**
 * A confirmation SAP holds, by its key in API_PROD_ORDER_CONFIRMATION_2_SRV.
 *
 * @param confirmationGroup ConfirmationGroup (SAP's RUECK, 10 characters)
 * @param confirmationCount ConfirmationCount (SAP's RMZHL, 8 characters)
 */
public record PostedConfirmation(String confirmationGroup, String confirmationCount) {
}
