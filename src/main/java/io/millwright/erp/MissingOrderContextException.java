package io.millwright.erp;

import io.millwright.model.CounterKind;

/**
 * Parts were counted on an asset whose running order operation is unknown: the count cannot be
 * confirmed to the ERP. Nothing is booked; the increment is counted with the next reading once
 * the order is known.
 */
public class MissingOrderContextException extends RuntimeException {

    private final String assetPath;

    public MissingOrderContextException(String assetPath, CounterKind counter, long delta) {
        super("asset '" + assetPath + "' counted " + delta + " " + counter + " parts but no production order and operation"
                + " are known for it; map its order and operation nodes in mappings/assets.yaml (roles order, operation)."
                + " The parts are not lost: they are booked with the next reading once the order is known");
        this.assetPath = assetPath;
    }

    public String assetPath() {
        return assetPath;
    }
}
