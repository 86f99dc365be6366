package io.millwright.ops;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Several hub instances, {@code millwright.cluster.*}: run-once routes (one OPC UA subscription per
 * server) run on one instance at a time, elected through Camel's cluster service with a file lock
 * in a folder every instance shares.
 *
 * @param enabled elect a leader per run-once route; off = this instance runs every route (one hub)
 * @param root the shared folder of the locks (an NFS or other shared volume; on one machine any
 *     folder all instances can write); one lock file per route
 * @param acquireLockInterval how often a follower tries the lock and the leader writes its heartbeat
 * @param acquireLockDelay wait after start before the first try
 * @param heartbeatTimeoutMultiplier a leader whose heartbeat is this many intervals old is taken over
 * @param warmStandby an instance that does not lead an OPC UA connection keeps a session to its server
 *     open, without subscriptions, so that taking over only subscribes (a second, idle session per server)
 */
@Validated
@ConfigurationProperties("millwright.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        String root,
        @DefaultValue("1s") @NotNull Duration acquireLockInterval,
        @DefaultValue("1s") @NotNull Duration acquireLockDelay,
        @DefaultValue("3") @Min(2) @Max(100) int heartbeatTimeoutMultiplier,
        @DefaultValue("true") boolean warmStandby) {}
