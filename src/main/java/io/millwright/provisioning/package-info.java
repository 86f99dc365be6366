/**
 * Provisioning of OT connections at runtime: {@code /api/connections} lists, creates, changes,
 * enables, disables and deletes connections in the shape of a connection file
 * ({@code adapters/opcua/<name>.yaml}), validated by the same reader as the files
 * ({@link io.millwright.ot.OpcUaConnectionFiles}), kept in the hub's database (table
 * {@code ot_connection}, Flyway V75) and run through the OPC UA adapter's reloader, with each
 * connection's live status. A file of the same name wins over the API. Depends on {@code ot} (the
 * connection reader, reloader and status) and {@code model} (the hub's bad-input exception).
 */
package io.millwright.provisioning;
