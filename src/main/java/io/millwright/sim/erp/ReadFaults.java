package io.millwright.sim.erp;

/**
 * How the simulated service answers reads, to test a client against SAP systems that behave
 * differently: one that does not filter on a property (ConfirmationText is not filterable
 * everywhere, REFERENCE §1.3) and one that pages large results with {@code __next}.
 */
final class ReadFaults {

    /** Answer every read with all entities, as if the $filter were not supported. */
    volatile boolean ignoreFilter;
    /** Most entities per answer; more come behind a {@code __next} link. 0 = no server paging. */
    volatile int pageSize;
}
