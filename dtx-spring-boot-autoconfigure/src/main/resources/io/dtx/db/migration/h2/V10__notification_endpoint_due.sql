-- A sending thread that finished an attempt goes on with its endpoint's next due notification:
-- found through this index without reading past other endpoints' rows.
create index ${prefix}notification_endpoint_due on ${prefix}notification (endpoint, state, next_attempt_at);
