// Stored relationships point from the dependent to what it depends on (a model TRAINED_ON its
// dataset), except INFORMS, which points from a model or agent to the decision it feeds. A decision
// has no other lineage relationship, so every walk is: flow relationships against (downstream) or
// along (upstream) their stored direction, and at most one INFORMS hop at the decision end. Each
// hop's direction and type are part of the pattern, so the shortest-path search prunes by them;
// it never revisits a record, so cycles end. The catalog writes $maxDepth into the flow quantifier
// (Cypher takes no parameter there), so the search stops at the depth asked; `length(p) <=
// $maxDepth` still bounds the whole path, the INFORMS hop included.
// The subgraph around a record: what it depends on (upstream), what depends on it (downstream),
// and every relationship of the requested types among those records, so that diamonds show both
// of their arms.
// With $summary, each reached record brings only the properties of SUMMARY_PROPERTIES
// (src/estate/projection.ts): what the caller selected needs no more.
// The root comes by id or by key; the other parameter is null.
MATCH (root:Entity)
WHERE root.id = $id OR root.key = $key
WITH root,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[informs:INFORMS]-() WHERE $followInforms){0,1}
    (()-[flow]->() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (reached:Entity)
    WHERE $upstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {
      entity: CASE WHEN $summary THEN reached {.id, .key, .type, .source, .externalId, .name, .status, .impactLevel, .humanInTheLoop} ELSE reached {.*} END,
      distance: distance,
      direction: 'UPSTREAM'
    }
  } AS upstream,
  COLLECT {
    MATCH p = ANY SHORTEST (root)
    (()<-[flow]-() WHERE type(flow) IN $flowTypes){0,$maxDepth}
    (()-[informs:INFORMS]->() WHERE $followInforms){0,1}
    (reached:Entity)
    WHERE $downstream AND reached <> root AND length(p) <= $maxDepth
    WITH reached, length(p) AS distance ORDER BY distance, reached.name, reached.id
    LIMIT $probe
    RETURN {
      entity: CASE WHEN $summary THEN reached {.id, .key, .type, .source, .externalId, .name, .status, .impactLevel, .humanInTheLoop} ELSE reached {.*} END,
      distance: distance,
      direction: 'DOWNSTREAM'
    }
  } AS downstream
WITH root, upstream, downstream, [root.id] + [item IN upstream + downstream | item.entity.id] AS ids
RETURN root {.*} AS root,
       upstream,
       downstream,
       COLLECT {
         UNWIND ids AS memberId
         MATCH (a:Entity {id: memberId})-[r]->(b:Entity)
         WHERE (type(r) IN $flowTypes OR ($followInforms AND type(r) = 'INFORMS')) AND b.id IN ids
         RETURN DISTINCT {type: type(r), fromId: a.id, toId: b.id, properties: properties(r)}
       } AS edges
