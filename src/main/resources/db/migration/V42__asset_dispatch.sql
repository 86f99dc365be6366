-- Which order operation the MES dispatched to which work unit (issue 9, POST /api/dispatch and
-- queue millwright.dispatch). Kept apart from asset_order_context (what the machine's own order
-- nodes say), because a node value takes precedence over a dispatch.
CREATE TABLE asset_dispatch (
    asset_path  VARCHAR(255) NOT NULL PRIMARY KEY,
    order_id    VARCHAR(12)  NOT NULL,
    operation   VARCHAR(4)   NOT NULL,
    start_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    dispatch_id VARCHAR(64),
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
