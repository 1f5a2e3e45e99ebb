import type { Express } from 'express';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';
import { CONTENT_TYPES, EXPORT_FORMATS, ExportFormat } from './exporters';
import { readInstant, refuseQuery } from './httpExport';
import { renderSoa } from './soaExporters';
import { SOA_FRAMEWORK } from './soaService';

export const SOA_EXPORT_PATH = '/exports/soa';

/**
 * GET /exports/soa?format=csv|md|html[&asOf=…][&framework=iso-42001]: the statementOfApplicability
 * field rendered for an auditor, with the coverage exports' headers and errors.
 */
export function mountSoaExport(app: Express, deps: ExportDependencies): void {
  app.get(SOA_EXPORT_PATH, async (req, res) => {
    res.set(EXPORT_HEADERS);
    const problems: string[] = [];
    const format = (one(req.query.format) ?? 'html') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) problems.push(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const asOfText = one(req.query.asOf);
    const asOf = asOfText ? readInstant(asOfText, 'asOf', problems) : null;
    if (problems.length > 0) {
      refuseQuery(res, problems);
      return;
    }
    const framework = one(req.query.framework) ?? SOA_FRAMEWORK;
    try {
      const context = deps.createContext('ExportSoa', await deps.authenticate(req.headers.authorization));
      const soa = await context.services.soa.statement(framework, asOf);
      res.type(CONTENT_TYPES[format]);
      if (format !== 'html') res.setHeader('content-disposition', `inline; filename="soa-${soa.framework.key.replace(/[^a-z0-9._-]/gi, '_')}.${format}"`);
      res.send(renderSoa(soa, format));
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
}
