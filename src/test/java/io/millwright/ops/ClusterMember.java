package io.millwright.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One "hub instance" for {@link RunOnceFailoverTest}, run in its own JVM: a Camel context with
 * the hub's cluster service ({@link RunOnceRoutes#fileLockService}) and run-once policy, and one
 * run-once route that appends {@code <member> <epoch millis>} to a shared file every 100 ms while
 * it runs (the stand-in for the OPC UA subscription). Arguments: lock folder, output file, member name.
 */
public final class ClusterMember {

    private ClusterMember() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String member = args[2];
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addService(RunOnceRoutes.fileLockService(
                new ClusterProperties(true, root.toString(), Duration.ofSeconds(2), Duration.ofSeconds(1), 3, false)));
        camel.addRoutePolicyFactory(new RunOnceRoutes());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:subscription?period=100")
                        .routeId("ot-press-line-opcua-ingest")
                        .group(RunOnceRoutes.GROUP)
                        .process(exchange -> Files.writeString(out, member + " " + System.currentTimeMillis() + "\n",
                                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            }
        });
        camel.start();
        System.out.println("member " + member + " started");
        Thread.currentThread().join();
    }
}
