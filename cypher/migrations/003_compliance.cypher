// Compliance catalogues. A requirement's key is frameworkKey|identifier, so identifiers such as
// "A.5.2" or "Article 10" stay readable and two frameworks never collide. The unique constraints
// are also what makes concurrent catalogue loads safe: MERGE on a constrained key takes a lock.
CREATE CONSTRAINT framework_key IF NOT EXISTS FOR (f:Framework) REQUIRE f.key IS UNIQUE;
CREATE CONSTRAINT requirement_key IF NOT EXISTS FOR (r:Requirement) REQUIRE r.key IS UNIQUE;
CREATE INDEX requirement_framework_order IF NOT EXISTS FOR (r:Requirement) ON (r.framework, r.order);
// Not-applicable declarations are nodes, end-dated rather than deleted, so the history of who
// declared what and when survives a reversal.
CREATE CONSTRAINT applicability_id IF NOT EXISTS FOR (a:Applicability) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT catalogue_load_key IF NOT EXISTS FOR (c:CatalogueLoad) REQUIRE c.key IS UNIQUE;
