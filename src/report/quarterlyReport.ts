import type { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';
import { badUserInput } from '../errors';
import { operationRunner, RunOperation } from './graphqlClient';
import { reportToHtml } from './html';
import { reportToMarkdown } from './markdown';
import { expiredEvidence, gateFindings, heatMap, openIncidents, QuarterlyReport, TrendPoint, trendPoint, vendorReviewsToAct, vendorTiers } from './model';
import { EvidenceData, EvidenceRow, PostureData, ProgrammeData, REPORT_EVIDENCE, REPORT_POSTURE, REPORT_PROGRAMME, REPORT_TREND_POINT, TrendPointData } from './operations';
import { parseQuarter, Quarter, quarterAt, quarterBefore, quarterInstant } from './quarter';

/** Quarters the trend shows: the reported one and up to seven before it, two years in all. */
export const TREND_QUARTERS = 8;

export type ReportFormat = 'html' | 'md';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md'];
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = { html: 'text/html; charset=utf-8', md: 'text/markdown; charset=utf-8' };

export interface ReportOptions {
  /** The moment the report is made (default: now); a quarter that has not begun by then is refused. */
  now?: Date;
  /** Records per page when the report lists a whole label (at most the API's MAX_PAGE_SIZE). */
  pageSize: number;
}

const iso = (instant: Date | null) => instant?.toISOString() ?? null;

/** The API's refusal of an instant before the oldest history it keeps (checkAsOf's problem on `asOf`). */
const beforeHistory = (error: unknown) =>
  error instanceof GraphQLError &&
  error.extensions.code === 'BAD_USER_INPUT' &&
  Array.isArray(error.extensions.problems) &&
  (error.extensions.problems as Array<{ path?: unknown }>).some((problem) => problem.path === 'asOf');

/**
 * The quarterly posture report for a quarter (2026-Q4; the current one when not given), read as it
 * stood at the quarter's end, or now while it runs, through the GraphQL API alone.
 */
export async function buildQuarterlyReport(run: RunOperation, quarterText: string | undefined, options: ReportOptions): Promise<QuarterlyReport> {
  const now = options.now ?? new Date();
  const quarter = quarterText === undefined ? quarterAt(now) : parseQuarter(quarterText, now);
  const asOf = quarterInstant(quarter, now);
  const instant = asOf ?? now;
  const { postureSummary: posture } = await run<PostureData>(REPORT_POSTURE, { asOf: iso(asOf) }).catch((error: unknown) => {
    if (!beforeHistory(error)) throw error;
    throw badUserInput(`quarter ${quarter.label} ended before the graph's history begins: ${(error as GraphQLError).message}`, [
      { path: 'quarter', message: 'the graph keeps no history of that quarter' },
    ]);
  });
  // The reported quarter's point is counted from the register above, not read again: a dated write
  // landing in that quarter between two reads would otherwise make the report disagree with itself.
  const reportedPoint: TrendPoint = { quarter: quarter.label, at: instant.toISOString(), openRisks: posture.openRisks.length, openIncidents: posture.openIncidents.length };
  const [trend, evidence, programme] = await Promise.all([
    readTrend(run, quarter, reportedPoint),
    readEvidence(run, asOf, options.pageSize),
    run<ProgrammeData>(REPORT_PROGRAMME, { asOf: iso(asOf), first: options.pageSize }),
  ]);
  return {
    quarter: { label: quarter.label, start: quarter.start.toISOString(), end: quarter.end.toISOString() },
    instant: instant.toISOString(),
    closed: asOf !== null,
    generatedAt: now.toISOString(),
    modelsByRiskTier: posture.assetsByRiskTier,
    heatMap: heatMap(posture.openRisks),
    openRisks: posture.openRisks,
    trend,
    coverage: posture.coverage,
    vendorTiers: vendorTiers(programme.vendorTiers),
    incidentResponse: programme.incidentMetrics.filter((row) => row.quarter === quarter.label),
    actions: {
      vendorReviews: vendorReviewsToAct(programme.vendorTiers),
      gates: gateFindings(programme),
      expiredEvidence: expiredEvidence(evidence, instant),
      openIncidents: openIncidents(posture.openIncidents, instant),
      shadowAI: programme.shadowAI.items,
      unownedAssets: programme.unownedAssets,
    },
  };
}

/**
 * Open risks and incidents at the end of each quarter of the trend that the graph's history
 * reaches, ending with the reported quarter's point.
 */
async function readTrend(run: RunOperation, quarter: Quarter, reported: TrendPoint): Promise<TrendPoint[]> {
  const earlier = Array.from({ length: TREND_QUARTERS - 1 }, (_, steps) => quarterBefore(quarter, TREND_QUARTERS - 1 - steps));
  const points = await Promise.all(
    earlier.map(async (each) => {
      const at = new Date(each.end.getTime() - 1);
      try {
        return trendPoint(each, at, await run<TrendPointData>(REPORT_TREND_POINT, { asOf: iso(at) }));
      } catch (error) {
        // A quarter that ended before the history begins has no figures: the trend starts later.
        if (beforeHistory(error)) return null;
        throw error;
      }
    }),
  );
  return [...points.filter((point): point is TrendPoint => point !== null), reported];
}

async function readEvidence(run: RunOperation, asOf: Date | null, pageSize: number): Promise<EvidenceRow[]> {
  const rows: EvidenceRow[] = [];
  let after: string | null = null;
  for (;;) {
    const { evidence }: EvidenceData = await run<EvidenceData>(REPORT_EVIDENCE, { asOf: iso(asOf), first: pageSize, after });
    rows.push(...evidence.nodes);
    if (!evidence.pageInfo.hasNextPage) return rows;
    after = evidence.pageInfo.endCursor;
  }
}

/**
 * What the route and the command both do: the report for a caller, rendered. The format is checked
 * before any work.
 */
export async function renderQuarterlyReport(
  apollo: ApolloServer<GraphQLContext>,
  context: GraphQLContext,
  request: { quarter?: string; format?: string },
): Promise<{ format: ReportFormat; text: string; report: QuarterlyReport }> {
  const format = (request.format ?? 'html') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw badUserInput(`format must be one of ${REPORT_FORMATS.join(', ')}`, [{ path: 'format', message: `not "${String(request.format).slice(0, 20)}"` }]);
  const pageSize = Math.min(500, context.config.limits.maxPageSize);
  const report = await buildQuarterlyReport(operationRunner(apollo, context), request.quarter, { pageSize });
  return { format, report, text: format === 'html' ? reportToHtml(report) : reportToMarkdown(report) };
}
