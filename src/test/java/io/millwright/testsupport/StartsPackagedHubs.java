package io.millwright.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integration test class that starts {@link PackagedHub}s (child JVMs of the packaged jar). Failsafe runs
 * these classes after the others ({@link PackagedHubsLast}), and when a run has any, the class data sharing archive
 * of their quick start is made on a thread of its own from the run's start ({@link PackagedHubArchiveAhead}), while
 * the tests in this JVM run, instead of holding up the first packaged hub for its training start.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StartsPackagedHubs {

    /**
     * Whether the class's hubs start quickly from the archive (the default); {@code false} for one that starts the
     * jar as shipped ({@link PackagedHub.Builder#quickStart(boolean)}), so that running it alone makes no archive
     * beside the load it measures.
     */
    boolean quickStart() default true;
}
