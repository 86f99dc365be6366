-- OT connections provisioned through the REST API (issue 7, /api/connections): the same shape as
-- a connection file in adapters/<type>/<name>.yaml, kept as JSON. A file of the same name wins.
CREATE TABLE ot_connection (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    type        VARCHAR(20)  NOT NULL,
    definition  TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(100) NOT NULL
);
