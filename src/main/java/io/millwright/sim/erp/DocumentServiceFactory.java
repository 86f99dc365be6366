package io.millwright.sim.erp;

import java.util.function.Supplier;
import org.apache.olingo.odata2.api.ODataCallback;
import org.apache.olingo.odata2.api.ODataService;
import org.apache.olingo.odata2.api.ODataServiceFactory;
import org.apache.olingo.odata2.api.edm.provider.EdmProvider;
import org.apache.olingo.odata2.api.processor.ODataContext;
import org.apache.olingo.odata2.api.processor.ODataErrorCallback;
import org.apache.olingo.odata2.api.processor.ODataSingleProcessor;

/** Olingo's entry point for one more simulated service (material documents, maintenance notifications), with SAP-style errors. */
class DocumentServiceFactory extends ODataServiceFactory {

    private final EdmProvider edmProvider;
    private final Supplier<ODataSingleProcessor> processor;
    private final SapErrorCallback errorCallback;

    DocumentServiceFactory(EdmProvider edmProvider, Supplier<ODataSingleProcessor> processor, SapErrorCallback errorCallback) {
        this.edmProvider = edmProvider;
        this.processor = processor;
        this.errorCallback = errorCallback;
    }

    @Override
    public ODataService createService(ODataContext context) {
        return createODataSingleProcessorService(edmProvider, processor.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends ODataCallback> T getCallback(Class<T> callbackInterface) {
        return callbackInterface.isAssignableFrom(ODataErrorCallback.class) ? (T) errorCallback : null;
    }
}
