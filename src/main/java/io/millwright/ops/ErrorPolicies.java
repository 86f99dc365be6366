package io.millwright.ops;

import io.millwright.tracking.DeadLetterRoute;
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

    @Override
    public void configuration() {
        routeConfiguration(HUB_ERRORS)
                .errorHandler(deadLetterChannel(DeadLetterRoute.ENDPOINT)
                        .useOriginalMessage()
                        .maximumRedeliveries(0)
                        .logExhausted(false)
                        .logStackTrace(false));
    }
}
