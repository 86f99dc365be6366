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
 * @param viewerPassword password of the {@code viewer} login (role VIEWER); from
 *     {@code MILLWRIGHT_VIEWER_PASSWORD}; blank = no such user
 * @param operatorPassword password of the {@code operator} login (role OPERATOR); from
 *     {@code MILLWRIGHT_OPERATOR_PASSWORD}; blank = no such user
 * @param integratorPassword password of the {@code integrator} login (role INTEGRATOR); from
 *     {@code MILLWRIGHT_INTEGRATOR_PASSWORD}; blank = no such user
 * @param analystPassword password of the {@code analyst} login (role ANALYST); from
 *     {@code MILLWRIGHT_ANALYST_PASSWORD}; blank = no such user
 */
@Validated
@ConfigurationProperties("millwright.security")
public record MillwrightSecurityProperties(
        @NotBlank String adminPassword,
        String viewerPassword,
        String operatorPassword,
        String integratorPassword,
        String analystPassword) {

    /** Never prints a password (records print every component by default). */
    @Override
    public String toString() {
        return "MillwrightSecurityProperties[adminPassword=******, viewer=" + present(viewerPassword)
                + ", operator=" + present(operatorPassword) + ", integrator=" + present(integratorPassword)
                + ", analyst=" + present(analystPassword) + "]";
    }

    private static String present(String password) {
        return password == null || password.isBlank() ? "off" : "******";
    }
}
