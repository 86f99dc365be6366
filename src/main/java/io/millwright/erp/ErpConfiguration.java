package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SAP client, built from {@code millwright.erp.*}. */
@Configuration(proxyBeanMethods = false)
class ErpConfiguration {

    @Bean
    ErpMetrics erpMetrics(org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
            org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc) {
        io.micrometer.core.instrument.MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? ErpMetrics.none() : new ErpMetrics(meters, jdbc);
    }

    @Bean
    SapConfirmationClient sapConfirmationClient(ErpProperties settings, ObjectMapper json) {
        return new SapConfirmationClient(settings, json);
    }
}
