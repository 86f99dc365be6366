package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader election of run-once routes across two JVMs on this machine, with the hub's cluster
 * settings (file lock in a shared folder, 2 s interval, heartbeat timeout 3 intervals): exactly
 * one member runs the route; when the leader is killed (SIGKILL, no clean-up) the other takes
 * over within 10 s.
 */
class RunOnceFailoverTest {

    @TempDir
    Path dir;

    final List<Process> members = new ArrayList<>();

    @AfterEach
    void killMembers() {
        members.forEach(Process::destroyForcibly);
    }

    @Test
    void followerTakesOverWithinTenSeconds_whenTheLeaderIsKilled() throws Exception {
        Path root = Files.createDirectories(dir.resolve("locks"));
        Path out = dir.resolve("runs.log");
        Process a = start(root, out, "a");
        Process b = start(root, out, "b");

        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !lines(out).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no member ran the route; member a said: " + output("a") + "\nmember b said: " + output("b"), e);
        }
        Thread.sleep(3_000); // a few lock intervals with both members up
        List<String> beforeKill = lines(out);
        Map<String, Long> runsByMember = countByMember(beforeKill);
        assertThat(runsByMember).as("only the leader runs the route").hasSize(1);
        String leader = runsByMember.keySet().iterator().next();
        String follower = leader.equals("a") ? "b" : "a";

        (leader.equals("a") ? a : b).destroyForcibly().waitFor();
        long killedAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> lines(out).stream().anyMatch(line -> line.startsWith(follower + " ")));
        long tookOverAt = lines(out).stream()
                .filter(line -> line.startsWith(follower + " "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[1]))
                .min().orElseThrow();
        long failoverMillis = tookOverAt - killedAt;
        System.out.println("run-once failover: leader " + leader + " killed, " + follower + " ran the route after "
                + failoverMillis + " ms");

        assertThat(failoverMillis).as("takeover after the leader's death (ms)").isLessThan(10_000);
        assertThat(lines(out).stream().filter(line -> line.startsWith(leader + " "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[1])).max().orElseThrow())
                .as("the killed leader ran nothing after its death").isLessThanOrEqualTo(killedAt);
    }

    Process start(Path root, Path out, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx96m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName(),
                root.toString(), out.toString(), name)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("member-" + name + ".out").toFile())
                .start();
        members.add(process);
        return process;
    }

    String output(String name) throws IOException {
        Path file = dir.resolve("member-" + name + ".out");
        return Files.exists(file) ? Files.readString(file) : "(nothing)";
    }

    static List<String> lines(Path out) throws IOException {
        return Files.exists(out) ? Files.readAllLines(out).stream().filter(line -> !line.isBlank()).toList() : List.of();
    }

    static Map<String, Long> countByMember(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        lines.forEach(line -> counts.merge(line.split(" ")[0], 1L, Long::sum));
        return counts;
    }
}
