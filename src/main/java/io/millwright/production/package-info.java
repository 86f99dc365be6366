/**
 * Production: what the readings of a machine mean for production, apart from how they were read
 * and enriched. Machine states and their changes ({@link io.millwright.production.MachineStateTracker},
 * in memory), the order operation running on each asset ({@link io.millwright.production.OrderContext},
 * in memory, written through on change), and cumulative counters turned into increments booked in
 * the count ledger in one transaction per batch ({@link io.millwright.production.CounterLedger}),
 * which the ERP's confirmation window reads; quality events (scrap with the asset's scrap-reason
 * code) and limit alarms ({@link io.millwright.production.LimitAlarms}, the registry's limits). Exposes the route {@code direct:production-interpret}
 * (enriched signals in, machine-state, production-count, quality and alarm events out to {@code direct:mes-event-publish})
 * and the ledger; on the central hub also {@code direct:central-count-booking}, which books the production-count
 * events edge hubs forward as increments, once per CloudEvents id ({@link io.millwright.production.ForwardedCount}). A reading it cannot use is parked alone ({@code direct:tracking-park}).
 * Depends on {@code model}, on {@code enrich} for {@link io.millwright.enrich.EnrichedSignal} and the
 * asset registry (a state tag's value map, an asset's fixed order context), and
 * on {@code ops} for its error policy; never on {@code erp}, {@code mes} or {@code tracking} classes.
 */
package io.millwright.production;
