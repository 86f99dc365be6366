package io.millwright.enrich;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the mappings live ({@code millwright.mappings-dir}); the asset registry is
 * {@code <mappings-dir>/assets.yaml}.
 */
@Validated
@ConfigurationProperties("millwright")
public record AssetRegistryProperties(@NotBlank String mappingsDir) {

    public AssetRegistryProperties {
        if (mappingsDir == null) {
            mappingsDir = "mappings";
        }
    }
}
