package io.millwright.edge.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The edge buffer's paging bounds what an outage holds in the heap: Artemis keeps the page file being written in
 * memory, so its default 10 MB pages held up to 10 MB of waiting events beside the part before paging, and filled an
 * 80 MB edge heap within 5 minutes of an outage (docs/benchmarks.md, "Edge and central").
 */
class EdgeBufferPagingTest {

    static EdgeLinkProperties.Buffer buffer(String memory) {
        return new EdgeLinkProperties.Buffer(DataSize.parse(memory), DataSize.ofGigabytes(1), 1_000_000, Duration.ofDays(7),
                EdgeLinkProperties.FullPolicy.DROP_OLDEST);
    }

    @Test
    void pagesOfAtMostOneMegabyte_beyondTheBufferInMemory() {
        AddressSettings edge = EdgeLinkBroker.bufferSettings(buffer("4MB"));
        assertThat(edge.getMaxSizeBytes()).as("in memory before paging").isEqualTo(4L * 1024 * 1024);
        assertThat(edge.getPageSizeBytes()).as("page file size, held in memory while written").isEqualTo(1024 * 1024);
        assertThat(edge.getPageLimitBytes()).as("paged bytes on disk").isEqualTo(1024L * 1024 * 1024);

        assertThat(EdgeLinkBroker.bufferSettings(buffer("512KB")).getPageSizeBytes())
                .as("a buffer smaller than a page pages in pieces of its own size").isEqualTo(512 * 1024);
    }
}
