import type { Express } from 'express';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';

export const AIBOM_EXPORT_PATH = '/exports/aibom';

/**
 * The estate in the ecosystem's formats, for tools that fetch a file: GET /exports/aibom (the
 * estate, or `root=<id>`: one record's dependency closure; `source=` keeps one source's records)
 * as a CycloneDX 1.6 JSON ML-BOM. Other exporters mount beside it here.
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
}
