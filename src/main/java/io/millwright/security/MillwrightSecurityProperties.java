package io.millwright.security;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code millwright.security}.
 *
 * @param adminPassword password of the {@code admin} login; from {@code MILLWRIGHT_ADMIN_PASSWORD},
 *     generated at start-up when blank (see {@link GeneratedSecretsEnvironmentPostProcessor}), so
 *     a blank value here means the generator did not run
 */
@Validated
@ConfigurationProperties("millwright.security")
public record MillwrightSecurityProperties(@NotBlank String adminPassword) {

    /** Never prints the password (records print every component by default). */
    @Override
    public String toString() {
        return "MillwrightSecurityProperties[adminPassword=******]";
    }
}
