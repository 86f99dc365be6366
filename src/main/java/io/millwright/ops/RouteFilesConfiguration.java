package io.millwright.ops;

import org.apache.camel.CamelContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires {@link RouteFiles} to the Camel context: the routes folder loads once Camel has started. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RouteFilesProperties.class, HubDirectoriesProperties.class})
public class RouteFilesConfiguration {

    @Bean
    RouteFiles routeFiles(
            CamelContext camelContext,
            RouteFilesProperties properties,
            HubDirectoriesProperties directories) throws Exception {
        RouteFiles routeFiles = new RouteFiles(camelContext, directories.routes(), properties);
        camelContext.addStartupListener(routeFiles);
        return routeFiles;
    }
}
