package io.millwright.principles;

import io.millwright.model.ReferenceLayer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code millwright.layers.<n>.enabled} (n = 1 to 5): which layers of the reference model run. A
 * layer left out is on.
 *
 * @param layers layer number -> its switch
 */
@ConfigurationProperties("millwright")
public record LayersProperties(Map<Integer, Layer> layers) {

    /** One layer's switch. */
    public record Layer(Boolean enabled) {}

    public LayersProperties {
        layers = layers == null ? Map.of() : Map.copyOf(layers);
        for (Integer n : layers.keySet()) {
            if (n < ReferenceLayer.FIRST || n > ReferenceLayer.LAST) {
                throw new IllegalArgumentException("millwright.layers." + n + ": there is no layer " + n
                        + "; the reference model has layers 1 to 5");
            }
        }
    }

    /** The layers that run. */
    public Set<Integer> enabled() {
        Set<Integer> on = new TreeSet<>();
        for (int n = ReferenceLayer.FIRST; n <= ReferenceLayer.LAST; n++) {
            Layer layer = layers.get(n);
            if (layer == null || layer.enabled() == null || layer.enabled()) {
                on.add(n);
            }
        }
        return on;
    }
}
