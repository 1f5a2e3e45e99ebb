import { assessmentOutcome, ruleScore, tierOf } from '../../src/vendors/assessmentRule';
import { reviewOf, sortByOverdue } from '../../src/vendors/reviews';
import type { EntityRow } from '../../src/estate/model';

const clean = {
  trainsOnCustomerData: false,
  retentionDays: 0,
  modelProvenanceDisclosed: true,
  changeNoticeDays: 60,
  incidentNotificationHours: 24,
  dataResidencyAcceptable: true,
  certifications: ['ISO/IEC 42001', 'ISO/IEC 27001'],
  rightToAudit: true,
};

test('the rule: 100 for every good answer, each bad or missing answer costs what the doc comment says', () => {
  expect(ruleScore(clean)).toBe(100);
  expect(ruleScore({ ...clean, trainsOnCustomerData: true })).toBe(70);
  expect(ruleScore({ ...clean, trainsOnCustomerData: null })).toBe(85);
  expect(ruleScore({ ...clean, retentionDays: 31 })).toBe(90);
  expect(ruleScore({ ...clean, retentionDays: 30 })).toBe(100);
  expect(ruleScore({ ...clean, changeNoticeDays: 29 })).toBe(90);
  expect(ruleScore({ ...clean, incidentNotificationHours: 73 })).toBe(85);
  expect(ruleScore({ ...clean, incidentNotificationHours: 72 })).toBe(100);
  expect(ruleScore({ ...clean, dataResidencyAcceptable: false, rightToAudit: false, modelProvenanceDisclosed: false })).toBe(65);
  expect(ruleScore({ ...clean, certifications: ['SOC 2 Type II'] })).toBe(95);
  expect(ruleScore({ ...clean, certifications: [] })).toBe(85);
  // Nothing answered: 100 - (15+5+5+5+10+5+5) - 15 = 35.
  expect(ruleScore({})).toBe(35);
  // Everything bad never goes below 0.
  expect(ruleScore({ trainsOnCustomerData: true, retentionDays: 400, modelProvenanceDisclosed: false, changeNoticeDays: 0, incidentNotificationHours: 999, dataResidencyAcceptable: false, rightToAudit: false, certifications: [] })).toBe(0);
});

test('tiers and review intervals; an assessor tool score counts instead of the rule', () => {
  expect([80, 79, 60, 59, 40, 39].map(tierOf)).toEqual(['LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL']);
  expect(assessmentOutcome({ ...clean, assessedAt: '2026-01-31T00:00:00.000Z' })).toEqual({ score: 100, ruleScore: 100, tier: 'LOW', failed: false, nextReviewDue: '2027-01-31T00:00:00.000Z' });
  expect(assessmentOutcome({ ...clean, score: 30, assessedAt: '2026-11-01T00:00:00.000Z' })).toEqual({ score: 30, ruleScore: 100, tier: 'CRITICAL', failed: true, nextReviewDue: '2026-12-01T00:00:00.000Z' });
  expect(assessmentOutcome({ ...clean, retentionDays: 365, certifications: [], assessedAt: '2026-06-15T00:00:00.000Z' }).nextReviewDue).toBe('2026-12-15T00:00:00.000Z');
});

test('reviews: never assessed first, then by days overdue; an undated assessment is overdue at once', () => {
  const vendor = (name: string) => ({ id: name, name }) as EntityRow;
  const assessed = (assessedAt: string | undefined) => [{ ...clean, assessedAt }] as unknown as EntityRow[];
  const at = new Date('2026-11-30T00:00:00Z');
  const reviews = sortByOverdue([
    reviewOf(vendor('current'), assessed('2026-06-01T00:00:00Z'), at),
    reviewOf(vendor('late'), assessed('2025-10-30T00:00:00Z'), at),
    reviewOf(vendor('never'), [], at),
    reviewOf(vendor('undated'), assessed(undefined), at),
  ]);
  expect(reviews.map((review) => [review.vendor.name, review.overdue, review.daysOverdue])).toEqual([
    ['never', true, null],
    ['late', true, 31],
    ['undated', true, 0],
    ['current', false, 0],
  ]);
});
