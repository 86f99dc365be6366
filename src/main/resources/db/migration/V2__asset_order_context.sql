-- Which production order operation runs on which asset, as last read from the machine, so that
-- counts read right after a restart are attributed before the order nodes have been read again.
CREATE TABLE asset_order_context (
    asset_path VARCHAR(255) NOT NULL PRIMARY KEY,
    order_id   VARCHAR(12),
    operation  VARCHAR(4),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
