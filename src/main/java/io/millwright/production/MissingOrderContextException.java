package io.millwright.production;

import io.millwright.model.CounterKind;

/**
 * Parts were counted on an asset whose running order operation is unknown: the count cannot be
 * confirmed to the ERP. Nothing is booked and the counter state stays where it was, so the
 * increment is booked with the next reading once the order is known; the reading itself is parked.
 */
public class MissingOrderContextException extends RuntimeException {

    private final String assetPath;

    public MissingOrderContextException(String assetPath, CounterKind counter, long delta) {
        super("asset '" + assetPath + "' counted " + delta + " " + counter + " parts but no production order and operation"
                + " are known for it; map its order and operation nodes in mappings/assets.yaml (roles order, operation),"
                + " or give a machine that does not report them fixed 'order:' / 'operation:' on the asset."
                + " The parts are not lost: they are booked with the next reading once the order is known, or when this"
                + " reading is resubmitted after the order is known (unless a later reading already counted them)");
        this.assetPath = assetPath;
    }

    public String assetPath() {
        return assetPath;
    }
}
