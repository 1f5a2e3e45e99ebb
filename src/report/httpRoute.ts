import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import type { GraphQLContext } from '../context';
import { ExportDependencies, EXPORT_HEADERS, one, sendError } from '../exportHttp';
import { renderQuarterlyReport, REPORT_CONTENT_TYPES } from './quarterlyReport';

export const REPORT_EXPORT_PATH = '/exports/report';

/** A parameter left out takes its default; one given empty or twice is refused as what it is. */
const given = (value: unknown): string | undefined => (value === undefined ? undefined : (one(value) ?? ''));

/** The report asks the GraphQL API itself, so its route needs the server along with the context factory. */
export interface ReportDependencies extends ExportDependencies {
  apollo: ApolloServer<GraphQLContext>;
}

/**
 * GET /exports/report[?quarter=2026-Q4][&format=html|md]: the quarterly posture report for the
 * caller (the current quarter when none is named). A malformed quarter, one not begun or one before
 * the graph's history is a 400 with BAD_USER_INPUT; the rest of the API's codes keep their statuses.
 */
export function mountReportExport(app: Express, deps: ReportDependencies): void {
  app.get(REPORT_EXPORT_PATH, async (req, res) => {
    res.set(EXPORT_HEADERS);
    try {
      const context = deps.createContext('ExportReport', await deps.authenticate(req.headers.authorization));
      const { format, text, report } = await renderQuarterlyReport(deps.apollo, context, { quarter: given(req.query.quarter), format: given(req.query.format) });
      res.type(REPORT_CONTENT_TYPES[format]);
      if (format !== 'html') res.setHeader('content-disposition', `inline; filename="posture-${report.quarter.label}.${format}"`);
      res.send(text);
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
}
