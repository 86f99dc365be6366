/**
 * ERP integration: production confirmations to SAP S/4HANA (API_PROD_ORDER_CONFIRMATION_2_SRV),
 * exactly once in effect. Exposes {@link io.millwright.erp.ConfirmationOutbox} (where confirmations
 * are enqueued), {@link io.millwright.erp.SapConfirmationClient} (CSRF handshake, create, read-back
 * by idempotency key), the relay routes {@code erp-confirmation-relay} and
 * {@code erp-confirmation-deliver}, and the {@link io.millwright.erp.ErpException} family. Depends on
 * {@code model} only: the count ledger it confirms from is written by {@code production} (table
 * {@code production_count_ledger}, see docs/adr/0001), dead letters go to the endpoint
 * {@code direct:tracking-dead-letter} named in {@link io.millwright.model.Endpoints}. It must not depend on the ERP simulator ({@code sim.erp}): it speaks HTTP
 * to whatever SAP system {@code millwright.erp.base-url} names.
 */
package io.millwright.erp;
