import type { Config } from '../config';
import type { RequestGateway } from '../db/gateway';
import { codedError, notFound } from '../errors';
import type { EstateService } from '../estate/estateService';
import type { EntityRow } from '../estate/model';
import type { SyncService } from '../estate/syncService';
import type { RecordVendorAssessmentInput } from '../generated/graphql';
import { checkAsOf } from '../history/asOf';
import { fieldChanges, isRelationshipChange } from '../history/changes';
import type { ChangeModel } from '../history/changes';
import type { HistoryService } from '../history/historyService';
import { recordAt } from '../history/historyRepository';
import type { LineageService } from '../lineage/lineageService';
import { assessmentOutcome } from './assessmentRule';
import { reviewOf, sortByOverdue, TIER_ORDER, VendorReview } from './reviews';

/** The answers compared between two reviews, with the outcome the rule gives them. */
const ANSWER_FIELDS = [
  'assessedAt',
  'trainsOnCustomerData',
  'retentionDays',
  'subProcessors',
  'modelProvenanceDisclosed',
  'changeNoticeDays',
  'incidentNotificationHours',
  'dataResidency',
  'dataResidencyAcceptable',
  'certifications',
  'rightToAudit',
  'findings',
  'score',
  'tier',
];

/** Pages of `changes` read for one vendor's delta, at most (a page is MAX_PAGE_SIZE changes). */
const MAX_CHANGE_PAGES = 20;

/**
 * The vendor risk programme's reads (issue 15): each vendor's latest review, the overdue, expired
 * and failed ones, tiers joined with exposure's vendor concentration, and what moved since a
 * review. Scores, tiers and due dates are the pure rule's (assessmentRule.ts), applied when read.
 */
export class VendorService {
  constructor(
    private readonly db: RequestGateway,
    private readonly config: Config,
    private readonly estate: EstateService,
    private readonly sync: SyncService,
    private readonly lineage: LineageService,
    private readonly history: HistoryService,
  ) {}

  async reviews(source: string | null | undefined, asOfValue: Date | string | null | undefined, vendorId: string | null = null): Promise<VendorReview[]> {
    const asOf = await checkAsOf(this.db, asOfValue);
    const rows = await this.db.read<{ vendor: EntityRow; assessments: EntityRow[] }>(asOf ? 'vendors/findVendorReviewsAsOf' : 'vendors/findVendorReviews', { source: source ?? null, vendorId, asOf });
    const then = asOf ? (row: EntityRow) => recordAt(row, asOf) : (row: EntityRow) => row;
    const at = asOf ?? new Date();
    return sortByOverdue(rows.map((row) => reviewOf(then(row.vendor), row.assessments.map(then), at)));
  }

  async overdue(source: string | null | undefined, asOf: Date | string | null | undefined): Promise<VendorReview[]> {
    return (await this.reviews(source, asOf)).filter((review) => review.overdue);
  }

  /** Assessed at least once, and the latest review has expired (overdue) or failed. */
  async expiredOrFailed(source: string | null | undefined, asOf: Date | string | null | undefined): Promise<VendorReview[]> {
    return (await this.reviews(source, asOf)).filter((review) => review.latest !== null && (review.overdue || review.failed));
  }

  async tiers(source: string | null | undefined, asOfValue: Date | string | null | undefined, maxDepth: number | null | undefined) {
    const asOf = await checkAsOf(this.db, asOfValue);
    const [reviews, concentration] = await Promise.all([this.reviews(source, asOf), this.lineage.vendorConcentration(maxDepth, asOf)]);
    const decisionsOf = new Map(concentration.map((entry) => [entry.vendor.id, entry.decisions]));
    return TIER_ORDER.map((tier) => ({
      tier,
      vendors: reviews
        .filter((review) => review.tier === tier)
        .map((review) => {
          const decisions = decisionsOf.get(review.vendor.id) ?? [];
          return { review, decisionCount: decisions.length, highImpactDecisions: decisions.filter((decision) => decision.impactLevel === 'HIGH' || decision.impactLevel === 'CRITICAL') };
        }),
    })).filter((group) => group.vendors.length > 0);
  }

  /**
   * The answers that changed between the vendor's two latest reviews, and what changed around it
   * since the latest was recorded: `changes` over that window, kept to the vendor and its relationships.
   */
  async changesSinceAssessment(vendorId: string, to: Date | string | null | undefined) {
    const [review] = await this.reviews(null, null, vendorId);
    if (!review) throw notFound(`Vendor ${vendorId}`);
    const answers = (row: EntityRow | null) => (row ? Object.fromEntries(ANSWER_FIELDS.map((field) => [field, answerOf(row, field)])) : null);
    const { latest, previous } = review;
    const since = latest ? latest.createdAt : null;
    const graphChanges: ChangeModel[] = [];
    if (since) {
      let after: string | null = null;
      for (let page = 0; page < MAX_CHANGE_PAGES; page += 1) {
        const found = await this.history.changes({ from: since, to: to ?? new Date(), types: ['Vendor'], first: this.config.limits.maxPageSize, after });
        graphChanges.push(...found.nodes.filter((change) => (isRelationshipChange(change) ? change.fromId === vendorId || change.toId === vendorId : change.id === vendorId)));
        if (!found.pageInfo.hasNextPage) break;
        if (page === MAX_CHANGE_PAGES - 1) throw codedError('BAD_USER_INPUT', `More than ${MAX_CHANGE_PAGES} pages of vendor changes since ${since}: ask \`changes\` for a shorter window`);
        after = found.pageInfo.endCursor;
      }
    }
    return {
      vendor: review.vendor,
      latest,
      previous,
      since,
      answers: latest && previous ? fieldChanges(answers(previous), answers(latest), []) : [],
      graphChanges,
    };
  }

  /** Writes one assessment with its two relationships as an UPSERT sync of its source: every rule of the write path holds. */
  async record(input: RecordVendorAssessmentInput): Promise<EntityRow> {
    const ref = { type: 'VendorAssessment' as const, externalId: input.assessment.externalId };
    await this.sync.sync({
      source: input.source ?? 'manual',
      assets: { vendorAssessments: [input.assessment] },
      relationships: [
        { type: 'ASSESSES', from: ref, to: input.vendor },
        { type: 'ASSESSED_BY', from: ref, to: input.assessor },
      ],
    });
    const row = await this.estate.byKey('VendorAssessment', (input.source ?? 'manual').trim(), input.assessment.externalId.trim());
    if (!row) throw codedError('INTERNAL_SERVER_ERROR', 'An assessment vanished right after it was written');
    return row;
  }
}

/** An answer as compared: the rule's outcome for score and tier, dates as ISO strings. */
function answerOf(row: EntityRow, field: string): unknown {
  if (field === 'score' || field === 'tier') return assessmentOutcome(row)[field];
  const value = row[field];
  return value === undefined ? null : value;
}
