package io.millwright.analytics;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a finished lake file goes: the local lake folder ({@link LocalLakeStore}) or an S3-compatible
 * bucket ({@link S3LakeStore}). {@link ParquetLake} writes each file complete under a hidden temporary
 * name in the local lake folder first, then hands it here; a store that throws leaves the rows buffered
 * in the lake for the next roll, so nothing is lost to a store that is down for a while.
 */
interface LakeStore extends AutoCloseable {

    /**
     * Publishes one finished Parquet file.
     *
     * @param written the complete file, under a temporary name; the store moves or deletes it
     * @param localTarget its place in the local lake folder ({@code <root>/type=<type>/date=<day>/<name>})
     * @param key its Hive-partitioned key relative to the lake, {@code type=<type>/date=<day>/<name>}
     * @throws IOException the file did not reach the store; the caller keeps its rows and tries again
     */
    void publish(Path written, Path localTarget, String key) throws IOException;

    /** Where the files go, for logs and health: a folder, or {@code s3://bucket/prefix}. */
    String location();

    /** Why the lake's files cannot be read from the local folder, or null when they can. */
    default String unreadableLocallyReason() {
        return null;
    }

    /** Releases the store's connections; called after the lake's last flush. */
    @Override
    default void close() {}
}
