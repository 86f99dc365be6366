package io.millwright.bench.mes;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * What Kafka's lz4 compression costs per signal event with lz4-java's two codecs, in one JVM: the
 * pure-Java "safe" codec, which Kafka took in the packaged hub before {@code ops.Lz4Codec} (lz4-java
 * under Spring Boot's class loader), and the JNI codec it takes now. Kafka's lz4 stream compresses
 * 64 KiB blocks of the record batch ({@code Lz4BlockOutputStream}) on the producing thread, and the
 * embedded broker and every consumer decompress them; this does the same to blocks of signal-event
 * JSON shaped like the hub's (544 bytes each, UUID ids, 10,000 tags), with a plain copy as baseline.
 * Prints thread CPU per event, median of the rounds after the first. Not a test:
 * {@code java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.millwright.bench.mes.Lz4CodecBenchmark [events] [rounds]}.
 */
public final class Lz4CodecBenchmark {

    private static final int BLOCK = 64 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[][] blocks = blocks(events);
        LZ4Factory safe = LZ4Factory.safeInstance();
        LZ4Factory jni = LZ4Factory.nativeInstance();
        System.out.printf("%,d signal events in %,d blocks of 64 KiB; %d rounds, the first a warm-up; thread CPU-ns per event (median)%n",
                events, blocks.length, rounds);
        System.out.println("| codec | compress | decompress | compressed size |");
        System.out.println("|---|---:|---:|---:|");
        double[] copy = new double[rounds - 1];
        for (int r = 0; r < rounds; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            long sum = 0;
            for (byte[] block : blocks) {
                sum += Arrays.copyOf(block, block.length)[block.length / 2];
            }
            if (r > 0) {
                copy[r - 1] = (THREADS.getCurrentThreadCpuTime() - start) / (double) events + (sum == Long.MIN_VALUE ? 1 : 0);
            }
        }
        Arrays.sort(copy);
        System.out.printf("| bare copy of the block (baseline) | %.0f | | |%n", copy[copy.length / 2]);
        for (LZ4Factory factory : new LZ4Factory[] {safe, jni}) {
            measure(factory, blocks, events, rounds);
        }
    }

    private static void measure(LZ4Factory factory, byte[][] blocks, int events, int rounds) {
        LZ4Compressor compressor = factory.fastCompressor();
        LZ4SafeDecompressor decompressor = factory.safeDecompressor();
        byte[][] compressed = new byte[blocks.length][];
        int[] lengths = new int[blocks.length];
        double[] write = new double[rounds - 1];
        double[] read = new double[rounds - 1];
        long compressedBytes = 0;
        byte[] out = new byte[BLOCK];
        for (int r = 0; r < rounds; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < blocks.length; i++) {
                byte[] target = new byte[compressor.maxCompressedLength(blocks[i].length)];
                lengths[i] = compressor.compress(blocks[i], 0, blocks[i].length, target, 0, target.length);
                compressed[i] = target;
            }
            long written = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < blocks.length; i++) {
                int n = decompressor.decompress(compressed[i], 0, lengths[i], out, 0, out.length);
                if (n != blocks[i].length || out[n - 1] != blocks[i][n - 1]) {
                    throw new IllegalStateException("block " + i + " did not decompress to itself");
                }
            }
            long readDone = THREADS.getCurrentThreadCpuTime();
            if (r > 0) {
                write[r - 1] = (written - start) / (double) events;
                read[r - 1] = (readDone - written) / (double) events;
            }
        }
        for (int length : lengths) {
            compressedBytes += length;
        }
        long raw = Arrays.stream(blocks).mapToLong(b -> b.length).sum();
        Arrays.sort(write);
        Arrays.sort(read);
        System.out.printf("| %s | %.0f | %.0f | %.1f %% |%n", factory, write[write.length / 2], read[read.length / 2],
                100.0 * compressedBytes / raw);
    }

    /** Signal events as the hub writes them (the field order and sizes of EventJsonWriter's), cut into 64 KiB blocks. */
    private static byte[][] blocks(int events) {
        StringBuilder all = new StringBuilder(events * 560);
        Instant time = Instant.parse("2026-12-01T12:00:00.123456Z");
        for (int i = 0; i < events; i++) {
            int node = i % 10_000;
            String id = UUID.randomUUID().toString();
            Instant at = time.plusMillis(200L * (i / 10_000)).plusNanos(1_000L * node);
            all.append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                    .append("\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://bench/nsu=urn:millwright:bench;s=Bench.V")
                    .append(String.format("%06d", node))
                    .append("\",\"subject\":\"bench/site/area/line-").append(node / 100).append("/cell-").append(node / 10 % 10)
                    .append("\",\"time\":\"").append(at).append("\",\"datacontenttype\":\"application/json\"")
                    .append(",\"dataschema\":\"https://millwright.io/schemas/signal/v1.json\",\"receivedtime\":\"")
                    .append(at.plusMillis(3)).append("\",\"correlationid\":\"").append(id)
                    .append("\",\"data\":{\"tag\":\"Bench.V").append(String.format("%06d", node)).append("\",\"name\":\"v")
                    .append(node % 10).append("\",\"value\":").append(i / 10_000 + 1)
                    .append(",\"unit\":\"1\",\"quality\":\"GOOD\",\"statusCode\":\"Good\"}}");
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        int count = (bytes.length + BLOCK - 1) / BLOCK;
        byte[][] blocks = new byte[count][];
        for (int i = 0; i < count; i++) {
            blocks[i] = Arrays.copyOfRange(bytes, i * BLOCK, Math.min(bytes.length, (i + 1) * BLOCK));
        }
        return blocks;
    }
}
