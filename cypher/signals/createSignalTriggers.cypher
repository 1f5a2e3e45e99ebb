// What made a rule fire on an incident, found by the incident: the signals behind it are the
// buckets and kept signals of its asset and kind in the window it names.
UNWIND $rows AS row
CREATE (t:SignalTrigger)
SET t = row, t.createdAt = $now
RETURN count(t) AS created
