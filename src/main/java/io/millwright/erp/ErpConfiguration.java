package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SAP client, built from {@code millwright.erp.*}. */
@Configuration(proxyBeanMethods = false)
class ErpConfiguration {

    @Bean
    ErpMetrics erpMetrics(org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
            org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc,
            org.springframework.beans.factory.ObjectProvider<ErpDocumentType> types) {
        io.micrometer.core.instrument.MeterRegistry meters = registry.getIfAvailable();
        // one set of meters per document type the relay posts
        java.util.List<String> names = types.orderedStream().map(ErpDocumentType::name).toList();
        return meters == null ? ErpMetrics.none()
                : new ErpMetrics(meters, jdbc, names.isEmpty() ? java.util.List.of(ConfirmationTracking.PRODUCTION_CONFIRMATION) : names);
    }

    /** A WARN at start when the outbox holds documents and this hub runs no relay (an upgraded edge). */
    @Bean
    UnrelayedOutbox unrelayedOutbox(ErpProperties settings, ConfirmationOutbox outbox) {
        return new UnrelayedOutbox(settings, outbox);
    }

    /** The ERP path's alert events (authorization refused, reconciliation variance). */
    @Bean
    ErpAlerts erpAlerts(org.apache.camel.ProducerTemplate producer) {
        return new ErpAlerts(producer);
    }

    /** Logs on with OAuth2 client credentials when {@code millwright.erp.oauth2.token-url} is set, else with Basic. */
    @Bean
    SapConfirmationClient sapConfirmationClient(ErpProperties settings,
            org.springframework.beans.factory.ObjectProvider<ErpOAuth2Properties> oauth2Settings, ObjectMapper json) {
        ErpOAuth2Properties oauth2 = oauth2Settings.getIfAvailable();
        return new SapConfirmationClient(settings, json,
                oauth2 != null && oauth2.enabled() ? new ErpTokenSource(oauth2, settings.requestTimeout(), json) : null);
    }
}
