package io.millwright.ops;

import io.millwright.model.MessageHeaders;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.engine.DefaultUnitOfWorkFactory;
import org.apache.camel.impl.engine.MDCUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.slf4j.MDC;

/**
 * The correlation id in the log lines of the routes: with {@code camel.main.use-mdc-logging} (on in
 * {@code config/application.yaml}) Camel puts its own keys into the MDC ({@code camel.routeId},
 * {@code camel.exchangeId}, ...); this unit-of-work factory adds {@value #KEY}, the message's
 * {@link MessageHeaders#CORRELATION_ID} (the CloudEvents {@code correlationid} of the events it becomes),
 * whenever an exchange enters a route. A JSON log line ({@code logging.structured.format.file: ecs})
 * then carries it as a field, so an event found on a topic or in the dead letters leads to its log lines.
 * Camel takes the factory from the registry (one bean of type {@code UnitOfWorkFactory}).
 */
public class CorrelationMdc extends DefaultUnitOfWorkFactory {

    /** The MDC key: the CloudEvents extension's name. */
    public static final String KEY = "correlationid";

    private InflightRepository inflight;
    private boolean mdc;
    private String pattern;
    private boolean allowUseOriginalMessage;
    private boolean useBreadcrumb;

    @Override
    public void afterPropertiesConfigured(CamelContext context) {
        super.afterPropertiesConfigured(context);
        inflight = context.getInflightRepository();
        mdc = context.isUseMDCLogging();
        pattern = context.getMDCLoggingKeysPattern();
        allowUseOriginalMessage = context.isAllowUseOriginalMessage();
        useBreadcrumb = context.isUseBreadcrumb();
    }

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        return mdc
                ? new CorrelationUnitOfWork(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb)
                : super.createUnitOfWork(exchange);
    }

    /** Camel's MDC unit of work plus {@value #KEY}. */
    static final class CorrelationUnitOfWork extends MDCUnitOfWork {

        private final InflightRepository inflight;
        private final String pattern;
        private final boolean allowUseOriginalMessage;
        private final boolean useBreadcrumb;

        CorrelationUnitOfWork(Exchange exchange, InflightRepository inflight, String pattern,
                boolean allowUseOriginalMessage, boolean useBreadcrumb) {
            super(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb);
            this.inflight = inflight;
            this.pattern = pattern;
            this.allowUseOriginalMessage = allowUseOriginalMessage;
            this.useBreadcrumb = useBreadcrumb;
            put(exchange);
        }

        @Override
        public UnitOfWork newInstance(Exchange exchange) {
            return new CorrelationUnitOfWork(exchange, inflight, pattern, allowUseOriginalMessage, useBreadcrumb);
        }

        @Override
        public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
            // the header may have been set since (the telemetry flow sets it): refresh at every route entry
            put(exchange);
            return super.beforeProcess(processor, exchange, callback);
        }

        @Override
        public void clear() {
            super.clear();
            MDC.remove(KEY);
        }

        private static void put(Exchange exchange) {
            String correlationId = exchange.getMessage().getHeader(MessageHeaders.CORRELATION_ID, String.class);
            if (correlationId != null) {
                MDC.put(KEY, correlationId);
            } else {
                MDC.remove(KEY); // not another exchange's id left on this thread
            }
        }
    }
}
