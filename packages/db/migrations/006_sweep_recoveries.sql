-- Monotonic operational counters written by the worker and read by the api's /metrics (the
-- worker serves no HTTP). Forward-only.

CREATE TABLE operational_counters (
  name text PRIMARY KEY,
  value bigint NOT NULL DEFAULT 0 CHECK (value >= 0)
);
INSERT INTO operational_counters (name) VALUES ('sweep_recovered_notifications');
