package io.millwright.erp;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ERP document types the relay posts: every {@link ErpDocumentType} bean, production confirmations among them. */
@Configuration(proxyBeanMethods = false)
class ErpDocumentConfiguration {

    @Bean
    ConfirmationDocumentType confirmationDocumentType(SapConfirmationClient sap, OperationCompletions completions) {
        return new ConfirmationDocumentType(sap, completions);
    }

    @Bean
    ErpDocumentTypes erpDocumentTypes(List<ErpDocumentType> types) {
        return new ErpDocumentTypes(types);
    }
}
