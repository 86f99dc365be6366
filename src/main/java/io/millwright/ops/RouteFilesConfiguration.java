package io.millwright.ops;

import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires {@link RouteFiles} to the Camel context: the routes folder loads once Camel has started. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RouteFilesProperties.class)
public class RouteFilesConfiguration {

    @Bean
    RouteFiles routeFiles(
            CamelContext camelContext,
            RouteFilesProperties properties,
            @Value("${millwright.routes-dir:routes}") Path routesDir) throws Exception {
        RouteFiles routeFiles = new RouteFiles(camelContext, routesDir, properties);
        camelContext.addStartupListener(routeFiles);
        return routeFiles;
    }
}
