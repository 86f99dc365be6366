package io.millwright;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.core.metrics.StartupStep;

class StartupStepsTest {

    @Test
    void requested_byTheSystemPropertyOrTheArgument_offByDefault() {
        assertThat(StartupSteps.requested(new String[] {"--server.port=0"})).isFalse();
        assertThat(StartupSteps.requested(new String[] {"--millwright.startup-steps=true"})).isTrue();
        System.setProperty(StartupSteps.OPTION, "true");
        try {
            assertThat(StartupSteps.requested(new String[0])).isTrue();
            assertThat(StartupSteps.requested(new String[] {"--millwright.startup-steps=false"})).isFalse();
        } finally {
            System.clearProperty(StartupSteps.OPTION);
        }
    }

    @Test
    void aStepsOwnTime_isItsDurationLessItsNestedSteps() throws Exception {
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100);
        StartupStep outer = startup.start("spring.beans.instantiate").tag("beanName", "outerBean");
        Thread.sleep(60);
        StartupStep inner = startup.start("spring.beans.instantiate").tag("beanName", "innerBean");
        Thread.sleep(120);
        inner.end();
        outer.end();

        List<StartupSteps.OwnTime> times = StartupSteps.ownTimes(startup.getBufferedTimeline());

        StartupSteps.OwnTime outerTime = times.stream().filter(t -> t.beanName().equals("outerBean")).findFirst().orElseThrow();
        StartupSteps.OwnTime innerTime = times.stream().filter(t -> t.beanName().equals("innerBean")).findFirst().orElseThrow();
        assertThat(innerTime.own()).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        assertThat(outerTime.total()).isGreaterThanOrEqualTo(Duration.ofMillis(180));
        assertThat(outerTime.own()).isEqualTo(outerTime.total().minus(innerTime.total()));

        String summary = StartupSteps.summary(startup.getBufferedTimeline(), 10,
                bean -> bean.equals("innerBean") ? "io.millwright.analytics" : "io.millwright.ot");
        assertThat(summary)
                .contains("spring.beans.instantiate beanName=innerBean")
                .contains("io.millwright.analytics")
                .contains("io.millwright.ot");
    }
}
