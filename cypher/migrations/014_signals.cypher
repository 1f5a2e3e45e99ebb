// Monitoring signals (issue 16 B; cypher/README.md, "Signals"): counts per asset, kind and hour
// kept on one bucket each (unique by key, so that two pushers creating the same hour's bucket
// make one), found by asset and window; the signals kept one by one (at or above HIGH) by asset
// and instant; what fired a rule on an incident by incident, and by asset for the rule's next look.
CREATE CONSTRAINT signal_bucket_key IF NOT EXISTS FOR (b:SignalBucket) REQUIRE b.key IS UNIQUE;
CREATE INDEX signal_bucket_asset_kind IF NOT EXISTS FOR (b:SignalBucket) ON (b.assetId, b.kind, b.windowStart);
CREATE INDEX signal_bucket_asset IF NOT EXISTS FOR (b:SignalBucket) ON (b.assetId, b.windowStart);
CREATE INDEX signal_asset IF NOT EXISTS FOR (s:Signal) ON (s.assetId, s.at);
CREATE INDEX signal_trigger_incident IF NOT EXISTS FOR (t:SignalTrigger) ON (t.incidentId);
CREATE INDEX signal_rule_kind IF NOT EXISTS FOR (r:SignalRule) ON (r.signalKind);
