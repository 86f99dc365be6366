package io.millwright.ops;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The correlation id in the MDC of the routes' log lines ({@link CorrelationMdc}). */
@Configuration(proxyBeanMethods = false)
class CorrelationMdcConfiguration {

    @Bean
    CorrelationMdc correlationMdc() {
        return new CorrelationMdc();
    }
}
