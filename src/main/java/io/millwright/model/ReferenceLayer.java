package io.millwright.model;

/**
 * The five layers of the reference model ("build one layer at a time"). Each route names its layer,
 * 1 to 5, in the route property {@link #ROUTE_PROPERTY}; {@code millwright.layers.<n>.enabled}
 * switches a layer's routes on or off.
 */
public final class ReferenceLayer {

    /** The route property that names a flow's layer, e.g. {@code layer=1}. */
    public static final String ROUTE_PROPERTY = "layer";

    /** The lowest and highest layer. */
    public static final int FIRST = 1;
    public static final int LAST = 5;

    private static final String[] NAMES = {"OT and edge foundation", "cloud integration",
        "analytics and AI", "enterprise systems and user experience", "industry solutions"};

    private ReferenceLayer() {}

    /** The model's name of layer {@code n}. */
    public static String name(int n) {
        if (n < FIRST || n > LAST) {
            throw new IllegalArgumentException("layer " + n + " does not exist; the reference model has layers 1 to 5");
        }
        return NAMES[n - 1];
    }
}
