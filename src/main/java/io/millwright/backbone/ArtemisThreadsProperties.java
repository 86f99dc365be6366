package io.millwright.backbone;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Thread pools of the embedded Artemis broker and of the Artemis clients in the hub's JVM
 * ({@code millwright.artemis.threads.*}). The defaults are Artemis's own; the edge profile
 * ({@code config/application-edge.yaml}) sets small pools, since an edge's broker serves a handful
 * of connections and each idle thread costs resident memory (docs/benchmarks.md).
 *
 * @param server the broker's executor pool ({@code thread-pool-max-size}), at least 2
 * @param scheduled the broker's scheduled pool ({@code scheduled-thread-pool-max-size})
 * @param remoting event-loop threads of the broker's acceptor ({@code remotingThreads});
 *     {@code 0}: Artemis's default, 3 per core
 * @param client the clients' global executor pool (JMS connections, the edge link's core bridge
 *     sessions); {@code 0}: Artemis's default, 8 per core
 * @param clientScheduled the clients' global scheduled pool
 * @param clientFlowControl the clients' global flow-control pool
 */
@Validated
@ConfigurationProperties("millwright.artemis.threads")
public record ArtemisThreadsProperties(
        @DefaultValue("30") @Min(2) int server,
        @DefaultValue("5") @Min(1) int scheduled,
        @DefaultValue("0") @Min(0) int remoting,
        @DefaultValue("0") @Min(0) int client,
        @DefaultValue("5") @Min(1) int clientScheduled,
        @DefaultValue("10") @Min(1) int clientFlowControl) {

    /** True when a client pool differs from Artemis's default (then the hub sets the JVM's global pools). */
    boolean clientPoolsSet() {
        return client != 0 || clientScheduled != 5 || clientFlowControl != 10;
    }
}
