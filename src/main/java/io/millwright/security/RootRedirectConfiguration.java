package io.millwright.security;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /} redirects to Hawtio's console, so an operator who opens the hub's address lands on
 * the login form and then on the console. The redirect itself needs the login like every other
 * page but health.
 */
@Configuration(proxyBeanMethods = false)
class RootRedirectConfiguration implements WebMvcConfigurer {

    private final String hawtioPath;

    RootRedirectConfiguration(WebEndpointProperties webEndpoints) {
        this.hawtioPath = webEndpoints.getBasePath() + "/hawtio/";
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", hawtioPath);
    }
}
