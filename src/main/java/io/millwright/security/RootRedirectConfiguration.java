package io.millwright.security;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /} redirects to Hawtio's console, so an operator who opens the hub's address lands on
 * the login form and then on the console. The redirect itself needs the login like every other
 * page but health. Where Hawtio is not exposed (the {@code edge} profile) {@code /} goes to the
 * hub's health instead.
 */
@Configuration(proxyBeanMethods = false)
class RootRedirectConfiguration implements WebMvcConfigurer {

    private final String home;

    RootRedirectConfiguration(WebEndpointProperties webEndpoints) {
        boolean hawtio = webEndpoints.getExposure().getInclude().contains("hawtio")
                || webEndpoints.getExposure().getInclude().contains("*");
        this.home = webEndpoints.getBasePath() + (hawtio ? "/hawtio/" : "/health");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", home);
    }
}
