import type { EntityRow } from '../estate/model';
import type { Rating } from '../generated/graphql';
import { assessmentOutcome } from './assessmentRule';

/** A vendor with its latest review, as vendorReviews answers it. */
export interface VendorReview {
  vendor: EntityRow;
  latest: EntityRow | null;
  previous: EntityRow | null;
  tier: Rating | null;
  score: number | null;
  failed: boolean;
  nextReviewDue: string | null;
  overdue: boolean;
  daysOverdue: number | null;
}

/** Tiers as vendorTiers lists them: the riskiest first, never assessed (null) last. */
export const TIER_ORDER: ReadonlyArray<Rating | null> = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', null];

const DAY_MS = 86_400_000;

/** A vendor's review at an instant, from its assessments latest first (as the queries return them). */
export function reviewOf(vendor: EntityRow, assessments: EntityRow[], at: Date): VendorReview {
  const [latest = null, previous = null] = assessments;
  if (!latest) return { vendor, latest, previous, tier: null, score: null, failed: false, nextReviewDue: null, overdue: true, daysOverdue: null };
  const outcome = assessmentOutcome(latest);
  // An assessment without a date cannot say when its review is due: it is overdue at once.
  const due = outcome.nextReviewDue === null ? -Infinity : Date.parse(outcome.nextReviewDue);
  const overdue = due < at.getTime();
  return {
    vendor,
    latest,
    previous,
    tier: outcome.tier,
    score: outcome.score,
    failed: outcome.failed,
    nextReviewDue: outcome.nextReviewDue,
    overdue,
    daysOverdue: overdue && Number.isFinite(due) ? Math.floor((at.getTime() - due) / DAY_MS) : 0,
  };
}

/** Most overdue first: never assessed, then by days overdue, then by name. */
export function sortByOverdue(reviews: VendorReview[]): VendorReview[] {
  const rank = (review: VendorReview) => (review.latest === null ? Infinity : review.overdue ? (review.daysOverdue ?? 0) : -1);
  return [...reviews].sort((a, b) => rank(b) - rank(a) || a.vendor.name.localeCompare(b.vendor.name) || a.vendor.id.localeCompare(b.vendor.id));
}
