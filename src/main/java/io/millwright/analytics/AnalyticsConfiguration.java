package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.HubDirectoriesProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analytics side routes. The lake bean is closed (its buffers flushed to Parquet) when Spring
 * destroys it, which is after Camel has stopped its routes, so no event arrives during the flush.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AnalyticsProperties.class, HubDirectoriesProperties.class})
class AnalyticsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    ParquetLake parquetLake(AnalyticsProperties properties, HubDirectoriesProperties directories) {
        AnalyticsProperties.Lake lake = properties.lake();
        return new ParquetLake(LakeQuery.lakeRoot(directories), lake.rollSize().toBytes(), lake.rollInterval(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    LakeRoute lakeRoute(ParquetLake lake, AnalyticsProperties properties, ObjectMapper objectMapper) {
        return new LakeRoute(lake, properties.lake(), objectMapper);
    }

    @Bean("analyticsLake")
    @ConditionalOnProperty(name = "millwright.analytics.lake.enabled", havingValue = "true", matchIfMissing = true)
    LakeHealthIndicator analyticsLakeHealth(ParquetLake lake) {
        return new LakeHealthIndicator(lake);
    }

    @Bean
    LakeQuery lakeQuery(AnalyticsProperties properties, HubDirectoriesProperties directories) {
        return new LakeQuery(LakeQuery.lakeRoot(directories), properties.query());
    }
}
