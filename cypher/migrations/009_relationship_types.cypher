// Every node keeps its relationships grouped by type (the launcher sets Neo4j's grouping threshold
// to 1), and Neo4j reads a node's groups in the order of their type's token, so a walk that names
// its types steps over every group whose token comes first. The ended WAS copies of history
// (cypher/README.md, "History") have their own group; its token is made by the index in
// 010_history.cypher. Making the live types' tokens first keeps the WAS group behind them on a new
// database, so that walks about now read exactly what they read before the graph remembered. A
// database that made WAS first keeps that order (tokens are never renumbered): one read more per
// record a walk crosses.
CALL db.createRelationshipType('DERIVED_FROM');
CALL db.createRelationshipType('TRAINED_ON');
CALL db.createRelationshipType('FINE_TUNED_ON');
CALL db.createRelationshipType('EVALUATED_ON');
CALL db.createRelationshipType('BASED_ON');
CALL db.createRelationshipType('PROVIDED_BY');
CALL db.createRelationshipType('USES_MODEL');
CALL db.createRelationshipType('RETRIEVES_FROM');
CALL db.createRelationshipType('CAN_INVOKE');
CALL db.createRelationshipType('INFORMS');
CALL db.createRelationshipType('OWNED_BY');
CALL db.createRelationshipType('THREATENS');
CALL db.createRelationshipType('MITIGATED_BY');
CALL db.createRelationshipType('APPLIES_TO');
CALL db.createRelationshipType('INVOLVES');
CALL db.createRelationshipType('SUPPORTS');
CALL db.createRelationshipType('CAN_USE');
CALL db.createRelationshipType('APPROVED_USE');
