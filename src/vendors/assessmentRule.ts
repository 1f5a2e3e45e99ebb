import type { InputProblem } from '../errors';
import type { Rating } from '../generated/graphql';

/** The scale of an assessment's score. */
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

/** The answers a review records, as stored on a VendorAssessment. */
export interface AssessmentAnswers {
  trainsOnCustomerData?: boolean | null;
  retentionDays?: number | null;
  modelProvenanceDisclosed?: boolean | null;
  changeNoticeDays?: number | null;
  incidentNotificationHours?: number | null;
  dataResidencyAcceptable?: boolean | null;
  certifications?: string[] | null;
  rightToAudit?: boolean | null;
  score?: number | null;
  assessedAt?: string | null;
}

const unanswered = (value: unknown) => value === null || value === undefined;

/** What a bad answer costs, and what an unanswered one does (about half: not knowing is a risk too). */
const PENALTIES: Array<{ question: keyof AssessmentAnswers; bad: (answers: AssessmentAnswers) => boolean; cost: number; unansweredCost: number }> = [
  { question: 'trainsOnCustomerData', bad: (a) => a.trainsOnCustomerData === true, cost: 30, unansweredCost: 15 },
  { question: 'retentionDays', bad: (a) => (a.retentionDays ?? 0) > 30, cost: 10, unansweredCost: 5 },
  { question: 'modelProvenanceDisclosed', bad: (a) => a.modelProvenanceDisclosed === false, cost: 10, unansweredCost: 5 },
  { question: 'changeNoticeDays', bad: (a) => (a.changeNoticeDays ?? 0) < 30, cost: 10, unansweredCost: 5 },
  { question: 'incidentNotificationHours', bad: (a) => (a.incidentNotificationHours ?? 0) > 72, cost: 15, unansweredCost: 10 },
  { question: 'dataResidencyAcceptable', bad: (a) => a.dataResidencyAcceptable === false, cost: 15, unansweredCost: 5 },
  { question: 'rightToAudit', bad: (a) => a.rightToAudit === false, cost: 10, unansweredCost: 5 },
];

const holds = (certifications: string[], pattern: RegExp) => certifications.some((name) => pattern.test(name));

/**
 * The score rule, documented for people in schema/vendors.graphql and the README (keep the three
 * alike): start at 100 and take off, per answer, what a bad answer costs (an unanswered question
 * about half of it): trains on our data 30 (15); retention over 30 days 10 (5); model provenance
 * not disclosed 10 (5); change notice under 30 days 10 (5); incident notification over 72 hours
 * 15 (10); data residency not acceptable 15 (5); no right to audit 10 (5). Certifications: none of
 * ISO/IEC 42001, ISO/IEC 27001, SOC 2 takes 15; ISO/IEC 27001 or SOC 2 without ISO/IEC 42001 takes
 * 5. The score never goes below 0.
 */
export function ruleScore(answers: AssessmentAnswers): number {
  let score = SCORE_MAX;
  for (const penalty of PENALTIES) {
    if (unanswered(answers[penalty.question])) score -= penalty.unansweredCost;
    else if (penalty.bad(answers)) score -= penalty.cost;
  }
  const certifications = answers.certifications ?? [];
  if (!holds(certifications, /42001/)) score -= holds(certifications, /27001|SOC ?2/i) ? 5 : 15;
  return Math.max(SCORE_MIN, score);
}

/** Tier by score: LOW from 80, MEDIUM from 60, HIGH from 40, CRITICAL below 40 (a failed review). */
export function tierOf(score: number): Rating {
  if (score >= 80) return 'LOW';
  if (score >= 60) return 'MEDIUM';
  if (score >= 40) return 'HIGH';
  return 'CRITICAL';
}

/** Months until the next review, by tier: the riskier the vendor, the sooner. */
export const REVIEW_MONTHS: Record<Rating, number> = { LOW: 12, MEDIUM: 6, HIGH: 3, CRITICAL: 1 };

export interface AssessmentOutcome {
  score: number;
  ruleScore: number;
  tier: Rating;
  failed: boolean;
  /** ISO; null when the assessment has no assessedAt. */
  nextReviewDue: string | null;
}

/** Adds whole calendar months in UTC (31 January + 1 month is 3 March, as Date does). */
function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/** Score (the assessor's tool's when given, else the rule's), tier and next review of one assessment. */
export function assessmentOutcome(record: Record<string, unknown>): AssessmentOutcome {
  const answers = record as AssessmentAnswers;
  const computed = ruleScore(answers);
  const score = typeof answers.score === 'number' ? answers.score : computed;
  const tier = tierOf(score);
  return { score, ruleScore: computed, tier, failed: tier === 'CRITICAL', nextReviewDue: answers.assessedAt ? addMonths(answers.assessedAt, REVIEW_MONTHS[tier]) : null };
}

/** The input checks the GraphQL types cannot make: the score on its scale, no negative days or hours. */
export function checkAssessmentFields(desired: Record<string, unknown>, path: string, problems: InputProblem[]): void {
  const score = desired.score;
  if (score !== undefined && score !== null && (!Number.isInteger(score) || (score as number) < SCORE_MIN || (score as number) > SCORE_MAX)) {
    problems.push({ path: `${path}.score`, message: `must be an integer from ${SCORE_MIN} to ${SCORE_MAX} (the assessment scale), got ${String(score)}` });
  }
  for (const field of ['retentionDays', 'changeNoticeDays', 'incidentNotificationHours']) {
    const value = desired[field];
    if (typeof value === 'number' && value < 0) problems.push({ path: `${path}.${field}`, message: 'must not be negative' });
  }
}
