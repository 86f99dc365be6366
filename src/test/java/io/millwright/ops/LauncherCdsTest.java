package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/millwright}'s extracted jar and class data sharing modes ({@code MILLWRIGHT_CDS}: auto by default, on, off), with a stand-in {@code java} on the PATH that logs
 * how it was called (and, like the real one, extracts the jar and writes the archive at exit when asked).
 */
class LauncherCdsTest {

    private static final Path LAUNCHER = Path.of("scripts/millwright").toAbsolutePath();

    @TempDir
    Path work;

    private Path calls;
    private Path bin;
    private Path jar;

    @BeforeEach
    void standInJava() throws IOException {
        calls = work.resolve("java-calls.log");
        bin = Files.createDirectories(work.resolve("bin"));
        jar = Files.writeString(work.resolve("millwright-test.jar"), "not a real jar");
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$*" >> "%s"
                passwords=training-passwords
                for arg in "$@"; do
                  case "$arg" in -XX:ArchiveClassesAtExit=*) echo archive > "${arg#*=}" ;; esac
                  case "$arg" in -XX:SharedArchiveFile=*) passwords=hub-passwords ;; esac
                done
                env | grep '^MILLWRIGHT_.*PASSWORD=' | cut -d= -f1 | sort > "%s/$passwords"
                if [ "$1" = "-Djarmode=tools" ]; then
                  sleep "${STAND_IN_EXTRACT_SECONDS:-0}"
                  mkdir -p "$6" && echo app > "$6/millwright-test.jar"
                fi
                """.formatted(calls, work));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void byDefault_theFirstStartTrains_thenStartsFromTheArchive_andLaterStartsOnlyUseIt() throws Exception {
        assertThat(launch(null).exitValue()).isZero();

        List<String> first = Files.readAllLines(calls);
        assertThat(first).hasSize(3);
        assertThat(first.get(0)).startsWith("-Djarmode=tools -jar " + jar).contains("extract");
        assertThat(first.get(1)).contains("-XX:ArchiveClassesAtExit=").contains("-Dspring.context.exit=onRefresh")
                .contains("--millwright.data-dir=" + work.resolve("data/cds/training-data")).contains("--server.port=18080");
        assertThat(first.get(2)).contains("-XX:SharedArchiveFile=" + work.resolve("data/cds/millwright.jsa"))
                .contains("-jar " + work.resolve("data/cds/app/millwright-test.jar")).endsWith("--server.port=18080");
        // the launcher says why the first start takes longer
        assertThat(Files.readString(work.resolve("launcher.log"))).contains("Archiving the classes of a training start");
        // the training start gets throwaway passwords (a generated one would be printed into training.log);
        // the hub's own start does not: it generates and prints its own, on the console
        assertThat(Files.readAllLines(work.resolve("training-passwords"))).containsExactly("MILLWRIGHT_ADMIN_PASSWORD",
                "MILLWRIGHT_ARTEMIS_HUB_PASSWORD", "MILLWRIGHT_MES_PASSWORD", "MILLWRIGHT_SIM_ERP_PASSWORD");
        assertThat(Files.readAllLines(work.resolve("hub-passwords"))).isEmpty();

        Files.delete(calls);
        assertThat(launch("auto").exitValue()).isZero();
        List<String> second = Files.readAllLines(calls);
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).contains("-XX:SharedArchiveFile=");
    }

    @Test
    void cdsOn_aStartWithoutAnArchive_runsTheExtractedJar_extractedOncePerBuild() throws Exception {
        assertThat(launch("on").exitValue()).isZero();

        List<String> first = Files.readAllLines(calls);
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).startsWith("-Djarmode=tools -jar " + jar).contains("extract");
        assertThat(first.get(1)).doesNotContain("SharedArchiveFile").doesNotContain("ArchiveClassesAtExit")
                .contains("-jar " + work.resolve("data/cds/app/millwright-test.jar")).endsWith("--server.port=18080");

        Files.delete(calls);
        assertThat(launch("on").exitValue()).isZero();
        assertThat(Files.readAllLines(calls)).singleElement().asString()
                .contains("-jar " + work.resolve("data/cds/app/millwright-test.jar"));

        // a new build of the jar (another size) is extracted again, not started from the old extraction
        Files.writeString(jar, "another build of the jar");
        Files.delete(calls);
        assertThat(launch("on").exitValue()).isZero();
        List<String> rebuilt = Files.readAllLines(calls);
        assertThat(rebuilt).hasSize(2);
        assertThat(rebuilt.get(0)).contains("extract");
        assertThat(Files.readString(work.resolve("data/cds/app.stamp")).trim())
                .startsWith(String.valueOf(Files.size(jar)));
        try (var left = Files.list(work.resolve("data/cds"))) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("app", "app.stamp");
        }
    }

    @Test
    void extractOff_orTheEdgeProfile_runTheJarAsItIs() throws Exception {
        assertThat(launch(null, Map.of("MILLWRIGHT_EXTRACT", "off")).exitValue()).isZero();
        assertThat(Files.readAllLines(calls)).singleElement().asString()
                .doesNotContain("SharedArchiveFile").contains("-jar " + jar);

        // the edge, by default: no training start and no archive (its resident memory bound)
        Files.delete(calls);
        assertThat(launch(null, Map.of("SPRING_PROFILES_ACTIVE", "edge")).exitValue()).isZero();
        assertThat(Files.readAllLines(calls)).filteredOn(call -> call.contains("-jar"))
                .singleElement().asString().contains("-jar " + jar).contains("-Xmx88m").doesNotContain("ArchiveClassesAtExit");
        assertThat(work.resolve("data/cds/app")).doesNotExist();
    }

    @Test
    void twoStartsFromOneFolderAtOnce_extractAndTrainOnce_andBothStartFromTheArchive() throws Exception {
        // the extraction takes a while, so the second start comes while the first one holds the folder
        Map<String, String> slow = Map.of("STAND_IN_EXTRACT_SECONDS", "2");
        Process first = start(null, slow, "first.log");
        Process second = start(null, slow, "second.log");
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isZero();

        List<String> both = Files.readAllLines(calls);
        assertThat(both).filteredOn(call -> call.contains("extract")).hasSize(1);
        assertThat(both).filteredOn(call -> call.contains("-XX:ArchiveClassesAtExit=")).hasSize(1);
        assertThat(both).filteredOn(call -> call.contains("-XX:SharedArchiveFile=")).hasSize(2);
        assertThat(Files.readString(work.resolve("first.log")) + Files.readString(work.resolve("second.log")))
                .contains("Waiting for another start's extraction or training");
        assertThat(work.resolve("data/cds/.lock")).doesNotExist();
    }

    @Test
    void aLockLeftByAStartThatDied_isTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path lock = Files.createDirectories(work.resolve("data/cds/.lock"));
        Files.writeString(lock.resolve("pid"), Long.toString(gone.pid()));

        assertThat(launch(null).exitValue()).isZero();
        assertThat(Files.readAllLines(calls)).filteredOn(call -> call.contains("-XX:SharedArchiveFile=")).hasSize(1);
        assertThat(lock).doesNotExist();
    }

    private Process launch(String cds) throws Exception {
        return launch(cds, Map.of());
    }

    private Process launch(String cds, Map<String, String> environment) throws Exception {
        Process process = start(cds, environment, "launcher.log");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process;
    }

    @Test
    void prepareIfMissing_trainsOnce_thenNothingForTheSameJar() throws Exception {
        assertThat(start(null, Map.of(), "prepare.log", "--prepare-cds-if-missing", "--server.port=18080").waitFor()).isZero();
        assertThat(Files.readAllLines(calls)).filteredOn(call -> call.contains("-XX:ArchiveClassesAtExit=")).hasSize(1);

        Files.delete(calls);
        assertThat(start(null, Map.of(), "prepare.log", "--prepare-cds-if-missing", "--server.port=18080").waitFor()).isZero();
        assertThat(calls).doesNotExist();
    }

    private Process start(String cds, Map<String, String> environment, String log) throws Exception {
        return start(cds, environment, log, "--server.port=18080");
    }

    private Process start(String cds, Map<String, String> environment, String log, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("MILLWRIGHT_JAR", jar.toString());
        builder.environment().remove("MILLWRIGHT_CDS");
        builder.environment().remove("MILLWRIGHT_CDS_DIR");
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("MILLWRIGHT_EXTRACT");
        builder.environment().keySet().removeIf(name -> name.startsWith("MILLWRIGHT_") && name.endsWith("PASSWORD"));
        builder.environment().putAll(environment);
        if (cds != null) {
            builder.environment().put("MILLWRIGHT_CDS", cds);
        }
        return builder.start();
    }
}
