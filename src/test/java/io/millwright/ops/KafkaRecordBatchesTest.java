package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The side routes' camel-kafka options, resolved by Camel as a route's {@code from} would resolve them. */
class KafkaRecordBatchesTest {

    @Test
    void theOptionsGiveBatchesOfAPoll_andNoRecordHeaderReachesTheExchange() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            KafkaEndpoint endpoint = camel.getEndpoint("kafka:millwright.events.signal?brokers=127.0.0.1:1&groupId=g"
                    + KafkaRecordBatches.options(2000), KafkaEndpoint.class);

            assertThat(endpoint.getConfiguration().isBatching()).isTrue();
            assertThat(endpoint.getConfiguration().getMaxPollRecords()).isEqualTo(2000);
            assertThat(endpoint.getConfiguration().getHeaderFilterStrategy()).isInstanceOf(IgnoredKafkaRecordHeaders.class);
            // a record's content-type (every signal carries one) and a CloudEvents header are both left out
            var filter = endpoint.getConfiguration().getHeaderFilterStrategy();
            var exchange = new DefaultExchange(camel);
            assertThat(filter.applyFilterToExternalHeaders("content-type", "application/cloudevents+json".getBytes(), exchange)).isTrue();
            assertThat(filter.applyFilterToExternalHeaders("ce_id", "e-1".getBytes(), exchange)).isTrue();
        }
    }
}
