package io.millwright.principles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Build one layer at a time" on a plain Camel context: one route per layer, wired as the hub's are
 * (each layer hands on only to lower layers' endpoints or to the broker; higher layers consume), and
 * the hub's policy deciding which start. Runs every switch combination 1, 1-2, ..., 1-5 in
 * milliseconds, where one Spring context per combination would take minutes.
 */
class RouteLayerPolicyTest {

    /** Layers 1..n on, the rest off. */
    static Stream<Arguments> firstLayers() {
        return IntStream.rangeClosed(1, 5).mapToObj(n -> Arguments.of(n));
    }

    @ParameterizedTest(name = "layers 1 to {0}")
    @MethodSource("firstLayers")
    void onlyTheSwitchedOnLayersRun_andLayerOneCarriesItsTraffic(int upTo) throws Exception {
        Set<Integer> on = new TreeSet<>();
        IntStream.rangeClosed(1, upTo).forEach(on::add);
        RouteLayerPolicy policy = new RouteLayerPolicy(on);
        try (CamelContext camel = hub(policy)) {
            for (int layer = 1; layer <= 5; layer++) {
                ServiceStatus expected = layer <= upTo ? ServiceStatus.Started : ServiceStatus.Stopped;
                assertThat(camel.getRouteController().getRouteStatus("layer-" + layer))
                        .as("route of layer %d with layers 1..%d on", layer, upTo).isEqualTo(expected);
            }
            assertThat(policy.switchedOff().keySet())
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(upTo + 1, 5).mapToObj(n -> "layer-" + n).toList());

            // layer 1 runs by itself: what enters reaches the backbone, whatever is off above it
            MockEndpoint backbone = camel.getEndpoint("mock:backbone", MockEndpoint.class);
            backbone.expectedBodiesReceived("reading");
            camel.createProducerTemplate().sendBody("direct:layer-1", "reading");
            backbone.assertIsSatisfied(5, TimeUnit.SECONDS);
            MockEndpoint layer2 = camel.getEndpoint("mock:layer-2", MockEndpoint.class);
            if (upTo >= 2) {
                layer2.expectedMessageCount(1);
                camel.createProducerTemplate().sendBody("seda:backbone", "event");
                layer2.assertIsSatisfied(5, TimeUnit.SECONDS);
            }
        }
    }

    // the policy only ever keeps a route from starting: a route its own configuration leaves stopped
    // stays stopped with every layer on
    @Test
    void routeStoppedByItsOwnConfiguration_staysStopped_withEveryLayerOn() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutePolicyFactory(new RouteLayerPolicy(Set.of(1, 2, 3, 4, 5)));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:off").routeId("off").autoStartup(false)
                            .routeProperty("layer", "3").routeProperty("outcome", "quality").to("mock:off");
                }
            });
            camel.start();
            assertThat(camel.getRouteController().getRouteStatus("off")).isEqualTo(ServiceStatus.Stopped);
        }
    }

    @Test
    void yamlFlow_declaresLayerAndOutcomeInItsNote() throws Exception {
        RouteLayerPolicy policy = new RouteLayerPolicy(Set.of(1));
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutePolicyFactory(policy);
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("flow.camel.yaml", """
                    - route:
                        id: site-flow
                        description: a site flow
                        note: "layer=4 outcome=quality"
                        from:
                          uri: direct:site-flow
                          steps:
                            - to: mock:site
                    """));
            camel.start();
            assertThat(camel.getRouteController().getRouteStatus("site-flow")).isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRoute("site-flow").getProperties())
                    .containsEntry("layer", "4").containsEntry("outcome", "quality");
            assertThat(policy.switchedOff()).containsEntry("site-flow", 4);
        }
    }

    // an integrator's flow that says nothing is an integration flow (layer 2): it does not vanish
    // because layer 1 alone is on by mistake in its absence of a layer; it follows layer 2's switch
    @Test
    void routeWithoutLayer_followsLayerTwo() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutePolicyFactory(new RouteLayerPolicy(Set.of(1)));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:plain").routeId("plain").to("mock:plain");
                }
            });
            camel.start();
            assertThat(camel.getRouteController().getRouteStatus("plain")).isEqualTo(ServiceStatus.Stopped);
        }
    }

    @Test
    void layerOrOutcomeThatDoesNotExist_stopsTheStart_namingRouteAndValue() throws Exception {
        for (List<String> bad : List.of(List.of("layer", "6"), List.of("outcome", "speed"))) {
            CamelContext camel = new DefaultCamelContext();
            camel.addRoutePolicyFactory(new RouteLayerPolicy(Set.of(1, 2, 3, 4, 5)));
            assertThatThrownBy(() -> {
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:bad").routeId("bad-route").routeProperty(bad.get(0), bad.get(1)).to("mock:bad");
                    }
                });
                camel.start();
            }).hasStackTraceContaining("route 'bad-route': route property " + bad.get(0) + "='" + bad.get(1) + "'");
            camel.close();
        }
    }

    /**
     * Five routes as the hub wires its layers: layer 1 takes readings and publishes to the backbone
     * (here {@code seda:backbone}, Kafka in the hub); layers 2 to 5 each consume what the layer
     * below offers, so none of the lower layers waits for a higher one.
     */
    private static CamelContext hub(RouteLayerPolicy policy) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutePolicyFactory(policy);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:layer-1").routeId("layer-1").routeProperty("layer", "1").routeProperty("outcome", "throughput")
                        .to("mock:backbone").to("seda:backbone?discardIfNoConsumers=true");
                from("seda:backbone?pollTimeout=20").routeId("layer-2").routeProperty("layer", "2").routeProperty("outcome", "predictability")
                        .to("mock:layer-2").to("seda:integrated?discardIfNoConsumers=true");
                from("seda:integrated?pollTimeout=20").routeId("layer-3").routeProperty("layer", "3").routeProperty("outcome", "quality")
                        .to("seda:analysed?discardIfNoConsumers=true");
                from("seda:analysed?pollTimeout=20").routeId("layer-4").routeProperty("layer", "4").routeProperty("outcome", "cost")
                        .to("seda:enterprise?discardIfNoConsumers=true");
                from("seda:enterprise?pollTimeout=20").routeId("layer-5").routeProperty("layer", "5").routeProperty("outcome", "safety")
                        .to("mock:solution");
            }
        });
        camel.start();
        return camel;
    }
}
