// The live rules that count these kinds (retired rules lose :Entity, and with it this match).
MATCH (rule:SignalRule)
WHERE rule.signalKind IN $kinds AND rule:Entity
RETURN rule {.*} AS rule
