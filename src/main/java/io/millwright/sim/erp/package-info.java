/**
 * Simulated SAP S/4HANA ERP: a real OData V2 service (Apache Olingo V2) that imitates
 * {@code API_PROD_ORDER_CONFIRMATION_2_SRV} on its own HTTP port, with Basic authentication, SAP
 * Gateway's CSRF token handshake, SAP-style error documents, confirmations kept under the data
 * dir, and fault injection for tests. Exposes {@link io.millwright.sim.erp.ErpSimulator} and its
 * properties; it depends on no other capability but {@code ops} for the data directory (the hub
 * talks to it over HTTP only, exactly as to a real SAP system).
 */
package io.millwright.sim.erp;
