package io.millwright.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The telemetry-first seam the side routes and the telemetry sources share ({@link TelemetryPressure}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SideRoutesProperties.class)
class SideRoutesConfiguration {

    @Bean
    TelemetryPressure telemetryPressure(SideRoutesProperties properties, ObjectProvider<MeterRegistry> meters) {
        TelemetryPressure pressure = new TelemetryPressure(properties.telemetryBehindFill(), properties.maxWait(), properties.nice());
        meters.ifAvailable(registry -> FunctionCounter.builder("millwright.side_routes.yielded", pressure,
                        p -> p.waitedMillis() / 1000.0)
                .baseUnit("seconds")
                .description("Time the analytics and alerting side routes waited for the telemetry path to catch up")
                .register(registry));
        return pressure;
    }
}
