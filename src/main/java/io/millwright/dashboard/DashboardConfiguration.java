package io.millwright.dashboard;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard page: {@code /dashboard} serves {@code static/dashboard/index.html} from the jar
 * (plain ES modules and CSS, no CDN, no build step), behind the login like every page but health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardProperties.class)
class DashboardConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/dashboard").setViewName("forward:/dashboard/index.html");
        registry.addRedirectViewController("/dashboard/", "/dashboard");
    }

    @Bean
    LiveFeed liveFeed(DashboardProperties properties) {
        return new LiveFeed(properties);
    }
}
