package io.millwright;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Millwright: the industrial integration hub. Starts the runtime with its embedded defaults. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MillwrightApplication {

    public static void main(String[] args) {
        SpringApplication.run(MillwrightApplication.class, args);
    }
}
