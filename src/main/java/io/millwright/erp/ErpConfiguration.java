package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SAP client, built from {@code millwright.erp.*}. */
@Configuration(proxyBeanMethods = false)
class ErpConfiguration {

    @Bean
    SapConfirmationClient sapConfirmationClient(ErpProperties settings, ObjectMapper json) {
        return new SapConfirmationClient(settings, json);
    }
}
