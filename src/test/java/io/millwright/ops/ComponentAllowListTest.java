package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A route file may use only the components on millwright.routes.allowed-components: by default no
 * database, no programs, no file writes.
 */
class ComponentAllowListTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final RouteFileValidator defaults =
            new RouteFileValidator(camel, new ComponentAllowList(ComponentAllowList.DEFAULT));

    @AfterEach
    void stop() {
        camel.stop();
    }

    private static byte[] route(String from, String step) {
        return ("""
                - route:
                    id: allow-list-probe
                    from:
                      uri: "%s"
                      steps:
                        - %s
                """.formatted(from, step)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fileAccepted_whenOnlyAllowedComponents() throws Exception {
        List<String> ids = defaults.validate("routes/probe.camel.yaml",
                route("timer:tick?period=1000", "to: \"log:probe\""), Map.of());

        assertThat(ids).containsExactly("allow-list-probe");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "timer:t           | to: \"sql:delete from erp_outbox\"          | component 'sql' is not allowed in route files",
            "timer:t           | to: \"exec:rm?args=-rf /\"                   | component 'exec' is not allowed in route files",
            "timer:t           | to: \"file:/etc?fileName=cron\"              | component 'file' may only be consumed from",
            "timer:t           | toD: \"sql:select ${body}\"                  | component 'sql' is not allowed in route files",
            "timer:t           | toD: \"${header.target}:x\"                  | the component is computed from the message",
            "timer:t           | 'recipientList: {simple: \"${header.to}\"}' | computes its endpoint from the message",
            "sql:select 1      | to: \"log:x\"                                | component 'sql' is not allowed in route files"})
    void fileRefusedNamingComponent_whenComponentNotAllowed(String from, String step, String reason) {
        assertThatThrownBy(() -> defaults.validate("routes/probe.camel.yaml", route(from, step), Map.of()))
                .isInstanceOf(RouteFileRejectedException.class)
                .hasMessageContaining("routes/probe.camel.yaml")
                .hasMessageContaining(reason);
    }

    @Test
    void fileReadAccepted_whenFileOnlyConsumed() throws Exception {
        assertThat(defaults.validate("routes/probe.camel.yaml",
                route("file:target/inbox?noop=true", "to: \"log:probe\""), Map.of())).hasSize(1);
    }

    // an integrator allowed it: the same file passes
    @Test
    void sqlAccepted_whenIntegratorAddedItToTheList() throws Exception {
        RouteFileValidator withSql = new RouteFileValidator(camel,
                new ComponentAllowList(List.of("timer", "log", "sql", "file")));

        assertThat(withSql.validate("routes/probe.camel.yaml",
                route("timer:t", "to: \"sql:select 1\""), Map.of())).hasSize(1);
        assertThat(withSql.validate("routes/probe.camel.yaml",
                route("timer:t", "to: \"file:target/outbox\""), Map.of())).hasSize(1);
    }
}
