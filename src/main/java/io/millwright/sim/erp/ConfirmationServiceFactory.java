package io.millwright.sim.erp;

import org.apache.olingo.odata2.api.ODataCallback;
import org.apache.olingo.odata2.api.ODataService;
import org.apache.olingo.odata2.api.ODataServiceFactory;
import org.apache.olingo.odata2.api.processor.ODataContext;
import org.apache.olingo.odata2.api.processor.ODataErrorCallback;

/** Olingo's entry point: the simulated service with its processor and SAP-style errors. */
class ConfirmationServiceFactory extends ODataServiceFactory {

    private final ConfirmationEdmProvider edmProvider = new ConfirmationEdmProvider();
    private final ConfirmationBook book;
    private final String user;
    private final SapErrorCallback errorCallback;
    private final ReadFaults readFaults;
    private final BatchingProcessor.Changesets changesets;

    ConfirmationServiceFactory(ConfirmationBook book, String user, SapErrorCallback errorCallback, ReadFaults readFaults,
            BatchingProcessor.Changesets changesets) {
        this.book = book;
        this.user = user;
        this.errorCallback = errorCallback;
        this.readFaults = readFaults;
        this.changesets = changesets;
    }

    @Override
    public ODataService createService(ODataContext context) {
        return createODataSingleProcessorService(edmProvider, new ConfirmationProcessor(book, user, readFaults, changesets));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends ODataCallback> T getCallback(Class<T> callbackInterface) {
        return callbackInterface.isAssignableFrom(ODataErrorCallback.class) ? (T) errorCallback : null;
    }
}
