package io.millwright.sim.erp;

import java.util.Locale;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.exception.ODataApplicationException;

/**
 * A business error as SAP reports it: a T100-style code ({@code RU/105}), the message, and the
 * property it concerns. The codes are simulated (see docs/erp.md), chosen to look like SAP's.
 */
class SapBusinessException extends ODataApplicationException {

    private static final long serialVersionUID = 1L;

    private final String propertyRef;

    SapBusinessException(String code, String propertyRef, String message) {
        super(message, Locale.ENGLISH, HttpStatusCodes.BAD_REQUEST, code);
        this.propertyRef = propertyRef;
    }

    String propertyRef() {
        return propertyRef;
    }
}
