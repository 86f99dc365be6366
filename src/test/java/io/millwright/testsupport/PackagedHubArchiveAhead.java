package io.millwright.testsupport;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts making the packaged hubs' class data sharing archive ({@link ClassDataSharing}) when a test plan with a
 * {@link StartsPackagedHubs} class whose hubs start quickly begins, on a thread of its own: the training start takes
 * about a minute on 2 busy cores, and the classes that run in this JVM come first ({@link PackagedHubsLast}), so it
 * overlaps them instead of holding up the first packaged hub. {@link ClassDataSharing#launch} is synchronized and
 * locks its folder, so a hub that starts before the archive is ready waits for it, as it waited for its own training
 * before.
 * Only where the build asks for it (system property {@value #PROPERTY}, set by Failsafe in {@code pom.xml}):
 * Surefire's JVMs run before the jar is packaged. Registered in {@code META-INF/services}.
 */
public final class PackagedHubArchiveAhead implements TestExecutionListener {

    static final String PROPERTY = "millwright.test.packaged-hub-archive-ahead";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (!Boolean.getBoolean(PROPERTY) || !startsPackagedHubs(plan) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread training = new Thread(() -> {
            try {
                ClassDataSharing.launch(PackagedHub.DEFAULT_HEAP);
            } catch (IOException | RuntimeException e) {
                // not lost: the first packaged hub runs the same preparation again and fails with this, or starts the
                // jar as it is with the reason in target/packaged-hub-cds/
                System.err.println("packaged hub archive not made ahead (the first packaged hub tries again): " + e);
            }
        }, "packaged-hub-archive");
        training.setDaemon(true);
        training.start();
    }

    private static boolean startsPackagedHubs(TestPlan plan) {
        for (TestIdentifier engine : plan.getRoots()) {
            for (TestIdentifier test : plan.getChildren(engine)) {
                if (test.getSource().orElse(null) instanceof ClassSource source) {
                    StartsPackagedHubs hubs = source.getJavaClass().getAnnotation(StartsPackagedHubs.class);
                    if (hubs != null && hubs.quickStart()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
