package io.millwright.enrich;

/**
 * The order context an asset carries in {@code mappings/assets.yaml} for a machine that does not
 * report it ({@code order:}, {@code operation:} on the asset). Used only for a part no node
 * reports: a node's value wins (precedence in docs/opcua-adapter.md, "Order context").
 *
 * @param order     the production order, or null
 * @param operation the order operation, e.g. {@code 0010}, or null
 */
public record FixedContext(String order, String operation) {

    public static final FixedContext NONE = new FixedContext(null, null);
}
