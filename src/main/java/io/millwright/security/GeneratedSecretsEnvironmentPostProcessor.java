package io.millwright.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Generates the secrets the operator left blank, so that Millwright never starts with a default
 * password and never without one.
 *
 * <p>Runs right after the configuration files are loaded. For each secret key that resolves to a
 * blank value it puts a random value into a property source ahead of all others, so every
 * placeholder that refers to the key sees the generated value (for example
 * {@code millwright.erp.password: ${MILLWRIGHT_ERP_PASSWORD:${millwright.sim.erp.password}}}).
 * Each generated value is printed exactly once, straight to the console ({@code System.out}),
 * not through logging: the log file ({@code data/logs/millwright.log}) and every other appender
 * never see it. The log gets a line that a password was generated, without the value. A value
 * that came from the environment is never printed.
 *
 * <p>The simulated ERP's password is generated only when the simulator runs
 * ({@code millwright.sim.erp.enabled}, default true). With the simulator off nothing is
 * generated for it: the ERP client then needs {@code MILLWRIGHT_ERP_PASSWORD} for the real ERP.
 *
 * <p>With the embedded Artemis broker on ({@code millwright.artemis.embedded}, default true) it also
 * generates the broker's passwords: the hub's own ({@code millwright.artemis.hub-password}, used only
 * inside the hub, never printed) and the consumers' ({@code millwright.artemis.mes-password},
 * printed once like the admin's). The embedded Kafka broker ({@code millwright.kafka.embedded}) uses the
 * same two passwords for its users, so they are generated when either broker runs.
 *
 * <p>Registered in {@code META-INF/spring.factories} under
 * {@code org.springframework.boot.env.EnvironmentPostProcessor}.
 */
public class GeneratedSecretsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source that holds the generated values. */
    public static final String PROPERTY_SOURCE_NAME = "millwrightGeneratedSecrets";

    static final String ADMIN_PASSWORD_KEY = "millwright.security.admin-password";
    static final String SIM_ERP_PASSWORD_KEY = "millwright.sim.erp.password";
    static final String SIM_ERP_ENABLED_KEY = "millwright.sim.erp.enabled";
    static final String ARTEMIS_EMBEDDED_KEY = "millwright.artemis.embedded";
    static final String KAFKA_EMBEDDED_KEY = "millwright.kafka.embedded";
    static final String ARTEMIS_HUB_PASSWORD_KEY = "millwright.artemis.hub-password";
    static final String ARTEMIS_MES_PASSWORD_KEY = "millwright.artemis.mes-password";

    /** After {@link ConfigDataEnvironmentPostProcessor}, which loads config/application.yaml. */
    static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

    /** 18 random bytes = 144 bits, 24 URL-safe characters. */
    private static final int SECRET_BYTES = 18;

    private final Log log;
    private final PrintStream console;
    private final SecureRandom random;

    public GeneratedSecretsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this(logFactory.getLog(GeneratedSecretsEnvironmentPostProcessor.class), System.out, new SecureRandom());
    }

    GeneratedSecretsEnvironmentPostProcessor(Log log, PrintStream console, SecureRandom random) {
        this.log = log;
        this.console = console;
        this.random = random;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> generated = new LinkedHashMap<>();
        if (isBlank(environment, ADMIN_PASSWORD_KEY)) {
            String password = newSecret();
            generated.put(ADMIN_PASSWORD_KEY, password);
            console.println("Generated admin password for user '" + ManagementSecurityConfiguration.ADMIN_USER + "': "
                    + password + " (set MILLWRIGHT_ADMIN_PASSWORD to choose one)");
            log.warn("Generated a password for user '" + ManagementSecurityConfiguration.ADMIN_USER
                    + "', printed once on the console, not logged (set MILLWRIGHT_ADMIN_PASSWORD to choose one)");
        }
        boolean simErpEnabled = environment.getProperty(SIM_ERP_ENABLED_KEY, Boolean.class, true);
        if (simErpEnabled && isBlank(environment, SIM_ERP_PASSWORD_KEY)) {
            String password = newSecret();
            generated.put(SIM_ERP_PASSWORD_KEY, password);
            String user = environment.getProperty("millwright.sim.erp.username", "");
            console.println("Generated password for the simulated ERP user '" + user + "': " + password
                    + " (set MILLWRIGHT_SIM_ERP_PASSWORD to choose one)");
            log.warn("Generated a password for the simulated ERP user '" + user
                    + "', printed once on the console, not logged (set MILLWRIGHT_SIM_ERP_PASSWORD to choose one)");
        }
        // the embedded Kafka broker logs its users in with the same passwords (millwright.kafka.*-password)
        if (environment.getProperty(ARTEMIS_EMBEDDED_KEY, Boolean.class, true)
                || environment.getProperty(KAFKA_EMBEDDED_KEY, Boolean.class, true)) {
            if (isBlank(environment, ARTEMIS_HUB_PASSWORD_KEY)) {
                // only the hub itself uses it: never printed
                generated.put(ARTEMIS_HUB_PASSWORD_KEY, newSecret());
            }
            if (isBlank(environment, ARTEMIS_MES_PASSWORD_KEY)) {
                String password = newSecret();
                generated.put(ARTEMIS_MES_PASSWORD_KEY, password);
                String user = environment.getProperty("millwright.artemis.mes-user", "mes");
                console.println("Generated password for the Artemis and Kafka consumer user '" + user + "': " + password
                        + " (set MILLWRIGHT_MES_PASSWORD to choose one)");
                log.warn("Generated a password for the Artemis and Kafka consumer user '" + user
                        + "', printed once on the console, not logged (set MILLWRIGHT_MES_PASSWORD to choose one)");
            }
        }
        if (!generated.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, generated));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private static boolean isBlank(ConfigurableEnvironment environment, String key) {
        String value = environment.getProperty(key);
        return value == null || value.isBlank();
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
