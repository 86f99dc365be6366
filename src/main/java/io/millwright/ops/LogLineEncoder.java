package io.millwright.ops;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The encoder of the hub's console and file appenders ({@code millwright-logback.xml}): one JSON object
 * per line in the structured format Spring Boot names ({@code logging.structured.format.console} and
 * {@code .file}: {@code ecs}, {@code logstash}, {@code gelf}), or the usual text pattern when none is set.
 * Spring Boot switches between the two only in its own programmatic set-up, which the hub cannot use
 * (a dependency's root {@code logback.xml} would win, see {@code MillwrightApplication}), so the switch is
 * here. Either way the MDC goes into the line: in JSON every key is a field ({@code correlationid},
 * {@code camel.routeId}, ...; see {@link CorrelationMdc}).
 */
public class LogLineEncoder extends EncoderBase<ILoggingEvent> {

    private String format;
    private String pattern;
    private Charset charset;
    private Encoder<ILoggingEvent> delegate;

    /** A structured format ({@code ecs}, {@code logstash}, {@code gelf} or a formatter class); blank = text. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The text pattern, used when no format is set. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        if (format != null && !format.isBlank()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(format.trim());
            if (charset != null) {
                structured.setCharset(charset);
            }
            delegate = structured;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            if (charset != null) {
                text.setCharset(charset);
            }
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
