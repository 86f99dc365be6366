package io.millwright.enrich;

/** A value arrived from a node the asset registry does not know. */
public class UnknownAssetException extends EnrichException {

    public UnknownAssetException(String registryFile, String connection, String nodeId) {
        super(registryFile + " has no asset for connection '" + connection + "' node '" + nodeId
                + "'; add it under assets[].tags (with its role), or a rule to " + AssetRules.FILE_NAME
                + " beside it, and resubmit this message", connection, nodeId);
    }
}
