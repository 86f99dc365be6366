-- Issue 8: an order operation the MES (order-completed) or a person (API) declared complete. Its last
-- confirmation carries SAP's final-confirmation flag; counts booked after it are parked, not posted.
CREATE TABLE erp_operation_completion (
    order_id     VARCHAR(12) NOT NULL,
    operation    VARCHAR(4)  NOT NULL,
    final_key    VARCHAR(40) NOT NULL,
    origin       VARCHAR(255) NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (order_id, operation)
);
