-- Each server asks, twice a second while anyone follows an order, which orders gained timeline
-- events in the last few seconds (server/store/src/feed.rs): an index keeps that a range read.
CREATE INDEX order_events_by_time ON order_events (at_ms);
