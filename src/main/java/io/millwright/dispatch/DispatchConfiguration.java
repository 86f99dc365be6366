package io.millwright.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.production.OrderContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubDirectoriesProperties.class)
class DispatchConfiguration {

    @Bean
    DispatchService dispatchService(OrderContext orders, ObjectMapper json, HubDirectoriesProperties directories) {
        return new DispatchService(orders, json, directories);
    }
}
