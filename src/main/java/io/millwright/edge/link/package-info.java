/**
 * Store-and-forward from an edge hub to a central hub over Artemis. On the edge (profile
 * {@code edge}) every published event is copied into a persistent buffer on the embedded broker
 * and forwarded by Artemis's core bridge, with the CloudEvents id as duplicate id; on the central
 * hub (profile {@code central}) the edges' events arrive on an ingress queue only the edge user
 * may send to, duplicates are dropped by the broker, and a route publishes them as the hub's own,
 * after handing production-count events to {@code direct:central-count-booking} ({@code production}
 * books them for the central's ERP connector). Depends on {@code backbone} (the broker customizer
 * seam), {@code model} (event types, endpoints, headers) and {@code erp} (the setting
 * {@code millwright.erp.confirmed-by}, read to mark the counts of an edge that confirms them itself).
 */
package io.millwright.edge.link;
