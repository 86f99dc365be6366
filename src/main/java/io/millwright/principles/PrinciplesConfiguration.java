package io.millwright.principles;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The layer switches: a route policy Camel applies to every route as it is created. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LayersProperties.class)
class PrinciplesConfiguration {

    @Bean
    RouteLayerPolicy routeLayerPolicy(LayersProperties properties) {
        return new RouteLayerPolicy(properties.enabled());
    }
}
