import type { EntityRow } from '../estate/model';
import type { Resolvers } from '../generated/graphql';
import { assessmentOutcome } from './assessmentRule';

const outcome = (row: EntityRow) => assessmentOutcome(row);

export const vendorResolvers: Resolvers = {
  VendorAssessment: {
    // Read from the stored answers by the documented rule (assessmentRule.ts), whenever the row is from.
    score: (row) => outcome(row).score,
    ruleScore: (row) => outcome(row).ruleScore,
    tier: (row) => outcome(row).tier,
    failed: (row) => outcome(row).failed,
    nextReviewDue: (row) => outcome(row).nextReviewDue,
  },
  Query: {
    vendorReviews: (_, { source, asOf }, { services }) => services.vendors.reviews(source, asOf),
    vendorsOverdueForReview: (_, { source, asOf }, { services }) => services.vendors.overdue(source, asOf),
    vendorsExpiredOrFailed: (_, { source, asOf }, { services }) => services.vendors.expiredOrFailed(source, asOf),
    vendorTiers: (_, { source, asOf, maxDepth }, { services }) => services.vendors.tiers(source, asOf, maxDepth),
    vendorChangesSinceAssessment: (_, { vendorId, to }, { services }) => services.vendors.changesSinceAssessment(vendorId, to),
  },
  Mutation: {
    recordVendorAssessment: (_, { input }, { services }) => services.vendors.record(input),
  },
};
