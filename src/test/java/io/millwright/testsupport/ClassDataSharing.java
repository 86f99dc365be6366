package io.millwright.testsupport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.util.FileSystemUtils;

/**
 * The packaged jar as {@code scripts/millwright} runs it after {@code --prepare-cds}, for {@link PackagedHub}'s
 * quick starts: extracted ({@code java -Djarmode=tools -jar ... extract}: the libraries as plain jars on the
 * class path instead of Spring Boot's nested-jar class loader), and started from a class data sharing archive
 * of a training start that stops once the context is refreshed ({@code -Dspring.context.exit=onRefresh}), so a
 * hub loads those classes already parsed and verified. Made once per build under
 * {@code target/packaged-hub-cds/} by the first hub of the run, under a file lock (two test JVMs may start hubs
 * at once, e.g. a test run beside another); when either step fails, the hubs start the jar as it is and the reason is in that folder.
 */
final class ClassDataSharing {

    private static final Path DIR = Path.of("target", "packaged-hub-cds").toAbsolutePath();

    private ClassDataSharing() {}

    /** The JVM arguments that run the hub: the archive and the extracted jar, or the jar as it is. */
    static synchronized List<String> launch(String heap) throws IOException {
        Path jar = PackagedHub.jar();
        String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        Files.createDirectories(DIR);
        try (FileChannel channel = FileChannel.open(DIR.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            Path stampFile = DIR.resolve("stamp");
            if (!Files.exists(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                Files.deleteIfExists(stampFile);
                prepare(jar, heap);
                Files.writeString(stampFile, stamp);
            }
        }
        Path archive = DIR.resolve("hub.jsa");
        Path app = extractedJar();
        if (app == null || !Files.exists(archive)) {
            return List.of("-jar", jar.toString());
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", app.toString());
    }

    /** Extracts the jar into {@code app/} and archives a training start's classes into {@code hub.jsa}. */
    private static void prepare(Path jar, String heap) throws IOException {
        Files.deleteIfExists(DIR.resolve("hub.jsa"));
        FileSystemUtils.deleteRecursively(DIR.resolve("app"));
        FileSystemUtils.deleteRecursively(DIR.resolve("training"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                DIR.resolve("app").toString()), DIR, "extract.log")) {
            return;
        }
        Path training = DIR.resolve("training");
        PackagedHub.prepareWorkDir(training);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(PackagedHub.QUICK_START_FLAGS);
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + DIR.resolve("hub.jsa"), "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-Dspring.context.exit=onRefresh", "-jar", extractedJar().toString(),
                "--millwright.sim.opcua.enabled=false", "--millwright.sim.erp.enabled=false",
                "--millwright.data-dir=" + training.resolve("data"),
                "--millwright.artemis.port=" + FreePorts.next(), "--millwright.kafka.port=" + FreePorts.next(),
                "--millwright.kafka.controller-port=" + FreePorts.next(), "--server.port=" + FreePorts.next(),
                "--server.address=127.0.0.1"));
        if (!run(command, training, "training.log")) {
            Files.deleteIfExists(DIR.resolve("hub.jsa"));
        }
    }

    private static Path extractedJar() throws IOException {
        Path app = DIR.resolve("app");
        if (!Files.isDirectory(app)) {
            return null;
        }
        try (Stream<Path> files = Files.list(app)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElse(null);
        }
    }

    /** Runs {@code command} in {@code dir}, its output in {@code DIR/log}; true when it exits 0 within 10 minutes. */
    private static boolean run(List<String> command, Path dir, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(DIR.resolve(log).toFile());
        // passwords of its own: a hub without them generates some and prints them, into this log
        builder.environment().put("MILLWRIGHT_ADMIN_PASSWORD", "packaged-hub-training");
        builder.environment().put("MILLWRIGHT_MES_PASSWORD", "packaged-hub-training-mes");
        Process process = builder.start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
