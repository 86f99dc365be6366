-- Time-series rollups of numeric signals per asset and tag (#10): one row per time bucket, like a
-- TimescaleDB continuous aggregate (bucket = time_bucket('1 minute' | '1 hour', time)). The tag is
-- its name in the asset registry (e.g. temperature). avg = sum_value / sample_count; last_value is
-- the value with the latest source time in the bucket. Portable SQL: H2 and PostgreSQL.
CREATE TABLE signal_rollup_1m (
    bucket        TIMESTAMP WITH TIME ZONE NOT NULL,
    asset         VARCHAR(255)     NOT NULL,
    tag           VARCHAR(255)     NOT NULL,
    min_value     DOUBLE PRECISION NOT NULL,
    max_value     DOUBLE PRECISION NOT NULL,
    sum_value     DOUBLE PRECISION NOT NULL,
    sample_count  BIGINT           NOT NULL,
    last_value    DOUBLE PRECISION NOT NULL,
    last_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (asset, tag, bucket)
);

CREATE TABLE signal_rollup_1h (
    bucket        TIMESTAMP WITH TIME ZONE NOT NULL,
    asset         VARCHAR(255)     NOT NULL,
    tag           VARCHAR(255)     NOT NULL,
    min_value     DOUBLE PRECISION NOT NULL,
    max_value     DOUBLE PRECISION NOT NULL,
    sum_value     DOUBLE PRECISION NOT NULL,
    sample_count  BIGINT           NOT NULL,
    last_value    DOUBLE PRECISION NOT NULL,
    last_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (asset, tag, bucket)
);
