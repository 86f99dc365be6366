package io.millwright;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.metrics.StartupStep;

/**
 * Where the start-up goes, bean by bean: Spring's {@link BufferingApplicationStartup} behind the
 * launch option {@code -Dmillwright.startup-steps=true} (or the argument
 * {@code --millwright.startup-steps=true}). It is read before Spring reads its settings, because the
 * recorder must be given to the application before the context exists. Once the hub is ready it logs
 * the steps that took longest on their own (a step's time less its nested steps': a bean's own
 * construction, without the beans it waited for) and the time per kind of step. With the option on,
 * {@code /actuator/startup} also answers when {@code startup} is added to
 * {@code management.endpoints.web.exposure.include}. Off by default: the recorder keeps every step.
 */
final class StartupSteps {

    static final String OPTION = "millwright.startup-steps";

    /** Steps kept: a start of the hub records 3,000-5,000 (beans, configuration classes, post-processors). */
    static final int CAPACITY = 20_000;

    /** How many of the longest steps the log lists. */
    static final int LISTED = 30;

    private static final Logger log = LoggerFactory.getLogger(StartupSteps.class);

    private StartupSteps() {}

    static boolean requested(String[] args) {
        boolean requested = Boolean.parseBoolean(System.getProperty(OPTION, "false"));
        for (String argument : args) {
            if (argument.startsWith("--" + OPTION + "=")) {
                requested = Boolean.parseBoolean(argument.substring(OPTION.length() + 3));
            }
        }
        return requested;
    }

    /** Records the start-up steps of {@code application} when the launch option asks for it. */
    static void recordWhenRequested(SpringApplication application, String[] args) {
        if (!requested(args)) {
            return;
        }
        BufferingApplicationStartup startup = new BufferingApplicationStartup(CAPACITY);
        application.setApplicationStartup(startup);
        application.addListeners((ApplicationListener<ApplicationReadyEvent>) event -> {
            ConfigurableListableBeanFactory beans = event.getApplicationContext().getBeanFactory();
            log.info("Start-up steps{}", summary(startup.getBufferedTimeline(), LISTED, name -> owner(beans, name)));
        });
    }

    /** A step's own time: its duration less the durations of the steps nested directly in it. */
    record OwnTime(String name, String tags, String beanName, Duration own, Duration total) {}

    static List<OwnTime> ownTimes(StartupTimeline timeline) {
        Map<Long, Duration> nested = new HashMap<>();
        for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
            Long parent = event.getStartupStep().getParentId();
            if (parent != null) {
                nested.merge(parent, event.getDuration(), Duration::plus);
            }
        }
        List<OwnTime> times = new ArrayList<>();
        for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
            StartupStep step = event.getStartupStep();
            Duration own = event.getDuration().minus(nested.getOrDefault(step.getId(), Duration.ZERO));
            String tags = java.util.stream.StreamSupport.stream(step.getTags().spliterator(), false)
                    .map(tag -> tag.getKey() + "=" + tag.getValue())
                    .collect(Collectors.joining(", "));
            String beanName = java.util.stream.StreamSupport.stream(step.getTags().spliterator(), false)
                    .filter(tag -> tag.getKey().equals("beanName"))
                    .map(StartupStep.Tag::getValue)
                    .findFirst().orElse("");
            times.add(new OwnTime(step.getName(), tags, beanName, own.isNegative() ? Duration.ZERO : own, event.getDuration()));
        }
        return times;
    }

    /**
     * Who a bean belongs to, for the sums per owner: the hub's package ({@code io.millwright.analytics}),
     * else the first three parts of its class's package ({@code org.apache.camel}); "other" when unknown.
     */
    static String owner(ConfigurableListableBeanFactory beans, String beanName) {
        try {
            Class<?> type = beans.getType(beanName, false);
            if (type == null) {
                return "other";
            }
            String[] parts = type.getPackageName().split("\\.");
            return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length)));
        } catch (RuntimeException e) {
            return "other";
        }
    }

    static String summary(StartupTimeline timeline, int listed, Function<String, String> ownerOfBean) {
        List<OwnTime> times = ownTimes(timeline);
        StringBuilder text = new StringBuilder();
        Map<String, Duration> perOwner = new HashMap<>();
        for (OwnTime time : times) {
            if (time.name().equals("spring.beans.instantiate") || time.name().equals("spring.beans.smart-initialize")) {
                perOwner.merge(ownerOfBean.apply(time.beanName()), time.own(), Duration::plus);
            }
        }
        Map<String, Duration> perKind = new HashMap<>();
        times.forEach(time -> perKind.merge(time.name(), time.own(), Duration::plus));
        text.append(String.format(" (%,d recorded); own time per kind:", times.size()));
        perKind.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .forEach(kind -> text.append(String.format("%n  %,8d ms  %s", kind.getValue().toMillis(), kind.getKey())));
        text.append(String.format("%nlongest own times (ms own / ms with nested steps):"));
        times.stream()
                .sorted(Comparator.comparing(OwnTime::own).reversed())
                .limit(listed)
                .forEach(time -> text.append(String.format("%n  %,8d / %,8d  %s %s",
                        time.own().toMillis(), time.total().toMillis(), time.name(), time.tags())));
        text.append(String.format("%nbeans' own time (instantiate, smart-initialize) per package:"));
        perOwner.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(listed)
                .forEach(owner -> text.append(String.format("%n  %,8d ms  %s", owner.getValue().toMillis(), owner.getKey())));
        return text.toString();
    }
}
