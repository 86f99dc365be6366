-- MES subscriptions (issue 9): who receives which events, and how. Survives restarts; the hub
-- re-creates each subscription's Artemis queue and diverts from these rows at start-up.
CREATE TABLE subscription (
    name          VARCHAR(100)  NOT NULL PRIMARY KEY,
    owner         VARCHAR(255)  NOT NULL,
    types         VARCHAR(1000) NOT NULL,
    asset_filter  VARCHAR(1000) NOT NULL,
    delivery      VARCHAR(4000) NOT NULL,
    paused        BOOLEAN       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
