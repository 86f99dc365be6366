/**
 * The live plant dashboard ({@code /dashboard}) and the live feeds behind it. {@link
 * io.millwright.dashboard.PlantView} projects the canonical events of the live event feed ({@code
 * seda:mes-event-feed}, tapped off event publishing in {@code mes}) into the plant as lines and
 * machines with state, counts, order and active alerts; {@link io.millwright.dashboard.LiveFeed}
 * pushes them to browsers by server-sent events ({@code /api/dashboard/events}) and to mixed-reality
 * clients ({@code /api/assets/states/stream}) through a bounded buffer per client, so a slow client
 * loses its own updates (and is told to reload) but never holds the plant back. {@code GET
 * /api/maturity} scores the five dimensions of the reference model from live state. Depends on
 * {@code model} (events), {@code enrich} (the asset registry: which machines, where they stand) and
 * {@code erp} (the last confirmations with their SAP numbers).
 */
package io.millwright.dashboard;
