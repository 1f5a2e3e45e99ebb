import type { Express } from 'express';
import { coverageQuery, refuseQuery } from '../compliance/httpExport';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';

export const AIBOM_EXPORT_PATH = '/exports/aibom';
export const OSCAL_EXPORT_PATH = '/exports/oscal';

/**
 * The estate in the ecosystem's formats, for tools that fetch a file: GET /exports/aibom (the
 * estate, or `root=<id>`: one record's dependency closure; `source=` keeps one source's records)
 * as a CycloneDX 1.6 JSON ML-BOM, and GET /exports/oscal?framework=…[&riskTier=…][&assetId=…][&asOf=…]
 * (a framework's coverage, scoped and dated as the coverage query is) as OSCAL 1.1 assessment results.
 */
export function mountFormatRoutes(app: Express, deps: ExportDependencies): void {
  app.get(AIBOM_EXPORT_PATH, async (req, res) => {
    res.set(EXPORT_HEADERS);
    try {
      const context = deps.createContext('ExportAiBom', await deps.authenticate(req.headers.authorization));
      const bom = await context.services.exports.aiBom({ root: one(req.query.root), source: one(req.query.source) });
      res.type('application/vnd.cyclonedx+json').setHeader('content-disposition', 'inline; filename="aibom.cdx.json"');
      res.send(JSON.stringify(bom, null, 2));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  app.get(OSCAL_EXPORT_PATH, async (req, res) => {
    res.set(EXPORT_HEADERS);
    const { framework, scope, asOf, problems } = coverageQuery(req.query);
    if (problems.length > 0) {
      refuseQuery(res, problems);
      return;
    }
    try {
      const context = deps.createContext('ExportOscal', await deps.authenticate(req.headers.authorization));
      const results = await context.services.exports.oscal(framework, scope, asOf);
      res.type('application/json').setHeader('content-disposition', `inline; filename="${encodeURIComponent(framework)}.oscal-ar.json"`);
      res.send(JSON.stringify(results, null, 2));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
}
