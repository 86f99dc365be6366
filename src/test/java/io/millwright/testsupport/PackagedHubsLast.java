package io.millwright.testsupport;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Failsafe's class order ({@code junit.jupiter.testclass.order.default} in {@code pom.xml}): the classes that run
 * in this JVM first (the PostgreSQL contracts, the in-process hub, the browser), those marked
 * {@link StartsPackagedHubs} after them, each group in the order it came in. The in-JVM classes then overlap the
 * packaged hubs' archive training ({@link PackagedHubArchiveAhead}) instead of waiting behind it.
 */
public final class PackagedHubsLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // List.sort is stable: false (runs in this JVM) before true (starts packaged hubs), order kept within each
        context.getClassDescriptors().sort(Comparator.comparing(descriptor -> descriptor.isAnnotated(StartsPackagedHubs.class)));
    }
}
