package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/millwright}'s class data sharing modes, with a stand-in {@code java} on the PATH that logs
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
                for arg in "$@"; do
                  case "$arg" in -XX:ArchiveClassesAtExit=*) echo archive > "${arg#*=}" ;; esac
                done
                if [ "$1" = "-Djarmode=tools" ]; then
                  mkdir -p "$6" && echo app > "$6/millwright-test.jar"
                fi
                """.formatted(calls));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void auto_trainsOnTheFirstStart_thenStartsFromTheArchive_andLaterStartsOnlyUseIt() throws Exception {
        assertThat(launch("auto").exitValue()).isZero();

        List<String> first = Files.readAllLines(calls);
        assertThat(first).hasSize(3);
        assertThat(first.get(0)).startsWith("-Djarmode=tools -jar " + jar).contains("extract");
        assertThat(first.get(1)).contains("-XX:ArchiveClassesAtExit=").contains("-Dspring.context.exit=onRefresh")
                .contains("--millwright.data-dir=" + work.resolve("data/cds/training-data")).contains("--server.port=18080");
        assertThat(first.get(2)).contains("-XX:SharedArchiveFile=" + work.resolve("data/cds/millwright.jsa"))
                .contains("-jar " + work.resolve("data/cds/app/millwright-test.jar")).endsWith("--server.port=18080");

        Files.delete(calls);
        assertThat(launch("auto").exitValue()).isZero();
        List<String> second = Files.readAllLines(calls);
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).contains("-XX:SharedArchiveFile=");
    }

    @Test
    void byDefault_aStartWithoutAnArchive_runsTheJarAsItIs() throws Exception {
        assertThat(launch(null).exitValue()).isZero();

        List<String> only = Files.readAllLines(calls);
        assertThat(only).hasSize(1);
        assertThat(only.get(0)).doesNotContain("SharedArchiveFile").doesNotContain("ArchiveClassesAtExit")
                .contains("-jar " + jar);
    }

    private Process launch(String cds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--server.port=18080")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("launcher.log").toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("MILLWRIGHT_JAR", jar.toString());
        builder.environment().remove("MILLWRIGHT_CDS");
        builder.environment().remove("MILLWRIGHT_CDS_DIR");
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        if (cds != null) {
            builder.environment().put("MILLWRIGHT_CDS", cds);
        }
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process;
    }
}
