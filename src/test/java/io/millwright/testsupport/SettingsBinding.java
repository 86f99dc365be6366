package io.millwright.testsupport;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * A {@code millwright.*} settings record bound as the hub binds it at start, for the tests of its defaults
 * and of its refusals: the {@link Binder} on the context's environment, under the record's
 * {@link ConfigurationProperties} prefix, with {@code @DefaultValue}s, Spring's conversions (durations, data
 * sizes) and, for a {@link Validated} record, Bean Validation. A bad value fails the context's start, its root
 * cause the record's own message naming the key.
 *
 * <pre>{@code
 * final ApplicationContextRunner hub = SettingsBinding.runner(ConnectorsProperties.class);
 * hub.withPropertyValues("millwright.connectors.reload-debounce=5m").run(context -> assertThat(context).hasFailed());
 * }</pre>
 */
public final class SettingsBinding {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private SettingsBinding() {}

    /** A context whose one bean is {@code type}, bound from the context's properties. */
    public static ApplicationContextRunner runner(Class<?> type) {
        return new ApplicationContextRunner().withInitializer(context -> register((GenericApplicationContext) context, type));
    }

    private static <T> void register(GenericApplicationContext context, Class<T> type) {
        context.registerBean(type, () -> bind(type, context.getEnvironment()));
    }

    /** {@code type} bound from {@code environment}; a binding or validation failure is thrown. */
    public static <T> T bind(Class<T> type, Environment environment) {
        String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
        BindHandler handler = MergedAnnotations.from(type).isPresent(Validated.class)
                ? new ValidationBindHandler(new SpringValidatorAdapter(VALIDATION.getValidator()))
                : BindHandler.DEFAULT;
        return Binder.get(environment).bindOrCreate(prefix, Bindable.of(type), handler);
    }
}
