package io.millwright.enrich;

/**
 * A value of a node found by discovery that no registry entry and no rule maps. Reported once
 * ({@link AssetRegistry#unmappedNodes()}); its values are skipped, not dead-lettered one by one.
 */
public class UnmappedNodeException extends EnrichException {

    public UnmappedNodeException(String connection, String nodeId, String browsePath) {
        super("discovered node '" + nodeId + "' (browse path '" + browsePath + "') of connection '" + connection
                + "' is mapped by no entry of assets.yaml and no rule of asset-rules.yaml", connection, nodeId);
    }
}
