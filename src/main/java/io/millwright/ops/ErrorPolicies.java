package io.millwright.ops;

import io.millwright.model.Endpoints;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The platform's error policies. Flows opt in by {@code routeConfigurationId}; every policy
 * dead-letters the message as it arrived at the failing route ({@code useOriginalMessage}) to
 * the dead-letter store, with its reason, so it can be resubmitted.
 */
@Component
public class ErrorPolicies extends RouteConfigurationBuilder {

    /** Telemetry and event flows: a failure is a data problem, so no retry, straight to the store. */
    public static final String HUB_ERRORS = "hub-errors";

    /**
     * Production (states, counts, order context): single readings it cannot use are parked by the
     * route itself; what still fails a whole batch is a fault of the hub, parked as it arrived.
     */
    public static final String PRODUCTION_ERRORS = "production-errors";

    @Override
    public void configuration() {
        routeConfiguration(HUB_ERRORS)
                .errorHandler(deadLetterChannel(Endpoints.DEAD_LETTER)
                        .useOriginalMessage()
                        .maximumRedeliveries(0)
                        .logExhausted(false)
                        .logStackTrace(false));
        routeConfiguration(PRODUCTION_ERRORS)
                .errorHandler(deadLetterChannel(Endpoints.DEAD_LETTER)
                        .useOriginalMessage()
                        .maximumRedeliveries(0)
                        .logExhausted(false)
                        .logStackTrace(true));
    }
}
