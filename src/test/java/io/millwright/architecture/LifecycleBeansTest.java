package io.millwright.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Spring starts a {@link Lifecycle} bean's direct dependencies before the bean. A Lifecycle bean
 * that injects the {@link CamelContext} therefore starts Camel before camel-spring-boot has added
 * the hub's RouteBuilders ("Camel already started, not adding routes"), and the hub runs with no
 * routes at all; only a packaged hub shows it, because the route tests start Camel themselves
 * (@UseAdviceWith). Such a bean takes an {@code ObjectProvider<CamelContext>} instead.
 */
class LifecycleBeansTest {

    static JavaClasses hub;

    @BeforeAll
    static void importClasses() {
        hub = HubClasses.imported();
    }

    @Test
    void noLifecycleBeanTakesTheCamelContextInItsConstructor() {
        constructors().that().areDeclaredInClassesThat().areAssignableTo(Lifecycle.class)
                .should(notTakeTheCamelContext()).check(hub);
    }

    @Test
    void noBeanMethodOfALifecycleBeanTakesTheCamelContext() {
        methods().that().areAnnotatedWith(Bean.class).and().haveRawReturnType(
                        com.tngtech.archunit.base.DescribedPredicate.describe("a Lifecycle", t -> t.isAssignableTo(Lifecycle.class)))
                .should(notTakeTheCamelContext()).allowEmptyShould(true).check(hub);
    }

    private static <T extends JavaCodeUnit> ArchCondition<T> notTakeTheCamelContext() {
        return new ArchCondition<>("not take a CamelContext (inject ObjectProvider<CamelContext>)") {
            @Override
            public void check(T codeUnit, ConditionEvents events) {
                if (codeUnit.getRawParameterTypes().stream().anyMatch(type -> type.isAssignableTo(CamelContext.class))) {
                    events.add(SimpleConditionEvent.violated(codeUnit, codeUnit.getFullName()
                            + " takes a CamelContext: Spring would start Camel before the routes are added; take ObjectProvider<CamelContext>"));
                }
            }
        };
    }
}
