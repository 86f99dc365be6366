package io.millwright.ops;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;

/**
 * Makes Kafka's lz4 codec (the hub's default {@code millwright.mes.kafka-compression}, used by the event
 * producer, the embedded broker's validation and every consumer in the process) the native one.
 *
 * <p>lz4-java's {@link LZ4Factory#fastestInstance()}, which Kafka calls, tries its JNI library only
 * when lz4-java was loaded by the system class loader or the library is already loaded. In the
 * packaged jar ({@code java -jar}, {@code scripts/millwright}) lz4-java sits in {@code BOOT-INF/lib} and
 * is loaded by Spring Boot's class loader, so Kafka silently took the pure-Java "safe" codec:
 * 12 % of the hub's CPU samples at 50,000 signals/s went to compressing alone (docs/benchmarks.md).
 * Loading the library first makes {@code fastestInstance()} answer the JNI codec, as it does on a plain
 * class path. It must run before the first Kafka class compresses or decompresses: Kafka's lz4 input
 * stream picks its decompressor once, when its class initialises.
 */
public final class Lz4Codec {

    private Lz4Codec() {}

    /**
     * Loads lz4-java's native library if it can; otherwise Kafka keeps the pure-Java codec (correct,
     * slower). Returns what Kafka will use, for the start-up log: {@code native} or
     * {@code pure Java (<reason>)}.
     */
    public static String preferNative() {
        try {
            Native.load();
        } catch (Throwable unavailable) { // UnsatisfiedLinkError, an unknown platform, a temp dir without exec
            return "pure Java (" + unavailable.getClass().getSimpleName() + ": " + unavailable.getMessage() + ")";
        }
        return inUse();
    }

    /** The codec Kafka's lz4 compression takes in this process: {@code native} or {@code pure Java}. */
    public static String inUse() {
        return LZ4Factory.fastestInstance().toString().endsWith("JNI") ? "native" : "pure Java";
    }
}
