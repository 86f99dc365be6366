package io.millwright.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The hub's main classes ({@code io.millwright}, tests left out) as ArchUnit imports them, once per test JVM for
 * both architecture tests: the import, with the library classes it resolves, took 15 s of ModularityTest's 22 and
 * 19.6 s of LifecycleBeansTest's 19.9 on 2 busy cores, and both imported the same classes. {@link JavaClasses} is
 * immutable, so the two may share it.
 */
final class HubClasses {

    private static JavaClasses classes;

    private HubClasses() {}

    static synchronized JavaClasses imported() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.millwright");
        }
        return classes;
    }
}
