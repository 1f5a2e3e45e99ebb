import { mdCell } from '../compliance/exporters';
import { STATUS_LABEL, tierLabel } from './charts';
import { duration, standingText, TARGETS_TEXT } from './html';
import { band, QuarterlyReport, riskScore, SCALE } from './model';

/** The same report as Markdown, for a wiki or a mail: the pictures become tables. */

const cell = (value: unknown) => mdCell(value === null || value === undefined ? '' : String(value));
const names = (owners: Array<{ name: string }>) => owners.map((owner) => owner.name).join(', ');
const day = (instant: string | null) => (instant ? instant.slice(0, 10) : '');

function table(headers: string[], rows: unknown[][], empty: string): string[] {
  if (rows.length === 0) return [`_${empty}_`];
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

export function reportToMarkdown(report: QuarterlyReport): string {
  const { actions } = report;
  const out: string[] = [`# AI security posture: ${report.quarter.label}`, '', `${standingText(report)} Generated ${report.generatedAt}.`, ''];

  out.push('## At a glance', '');
  out.push(`- Open risks: ${report.openRisks.length}`, `- Open incidents: ${actions.openIncidents.length} (${actions.openIncidents.filter((row) => row.pastTarget).length} past target)`, `- Expired evidence: ${actions.expiredEvidence.length}`);
  out.push(
    `- Vendor reviews overdue or failed: ${actions.vendorReviews.length}`,
    `- Models or agents past a gate without approval: ${actions.gates.length}`,
    `- Shadow AI in use: ${actions.shadowAI.length}`,
    `- Assets without an owner: ${actions.unownedAssets.total}`,
  );
  out.push(`- AI models in use by risk tier: ${report.modelsByRiskTier.map((tier) => `${tier.tier} ${tier.count}`).join(', ') || 'none'}`, '');

  out.push('## Risk register: likelihood × impact', '', 'Open risks by likelihood (rows, 5 = almost certain) and impact (columns, 5 = severe).', '');
  out.push(`| Likelihood \\ Impact | ${SCALE.join(' | ')} |`, `|---|${SCALE.map(() => '---:').join('|')}|`);
  for (const likelihood of [...SCALE].reverse()) out.push(`| ${likelihood} | ${SCALE.map((impact) => report.heatMap.cells[likelihood - 1][impact - 1]).join(' | ')} |`);
  if (report.heatMap.unscored > 0) out.push('', `${report.heatMap.unscored} open risk(s) without a likelihood or impact on the 1-5 scale are not in the grid.`);
  out.push('');
  const risks = [...report.openRisks].sort((a, b) => (riskScore(b) ?? -1) - (riskScore(a) ?? -1) || a.name.localeCompare(b.name));
  out.push(
    ...table(
      ['Open risk', 'Score', 'Band', 'Likelihood', 'Impact', 'Category', 'Status', 'Owners'],
      risks.map((risk) => {
        const score = riskScore(risk);
        return [risk.name, score, score === null ? '' : band(score), risk.likelihood, risk.impact, risk.category, risk.status, names(risk.owners)];
      }),
      'No open risks.',
    ),
    '',
  );

  out.push('## Trend: open risks and incidents by quarter', '');
  out.push(...table(['Quarter', 'At', 'Open risks', 'Open incidents'], report.trend.map((point) => [point.quarter, point.at, point.openRisks, point.openIncidents]), 'No quarter to show.'), '');

  out.push(`## Incident response: incidents detected in ${report.quarter.label}`, '');
  out.push(
    ...table(
      ['Category', 'Incidents', 'Not contained', 'Not closed', 'Time to contain (mean / median / max)', 'Time to close (mean / median / max)'],
      report.incidentResponse.map((row) => [
        row.category ?? 'uncategorised',
        row.incidents,
        row.uncontained,
        row.open,
        [row.meanHoursToContain, row.medianHoursToContain, row.maxHoursToContain].map(duration).join(' / '),
        [row.meanHoursToClose, row.medianHoursToClose, row.maxHoursToClose].map(duration).join(' / '),
      ]),
      'No incident was detected in the quarter.',
    ),
    '',
  );

  out.push('## Coverage per framework', '');
  const statuses = ['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'] as const;
  out.push(
    ...table(
      ['Framework', 'Requirements', ...statuses.map((status) => STATUS_LABEL[status])],
      report.coverage.map((row) => [
        `${row.framework.name} ${row.framework.version}`,
        row.total,
        ...statuses.map((status) => {
          const count = row.counts.find((entry) => entry.status === status);
          return count ? `${count.count} (${count.percent}%)` : '0';
        }),
      ]),
      'No framework catalogue is loaded.',
    ),
    '',
  );

  out.push('## Vendors by review tier', '');
  out.push(
    ...table(
      ['Tier', 'Vendor', 'Score', 'Next review due', 'High-impact decisions resting on it'],
      report.vendorTiers.flatMap((group) =>
        group.vendors.map(({ review, highImpactDecisions }) => [tierLabel(group.tier), review.vendor.name, review.score, day(review.nextReviewDue), highImpactDecisions.join(', ')]),
      ),
      'No vendor is recorded.',
    ),
    '',
  );

  out.push('## Needs action', '');
  out.push(`### Vendor reviews overdue or failed (${actions.vendorReviews.length})`, '');
  out.push(
    ...table(
      ['Vendor', 'Latest review', 'Tier', 'Score', 'Due', 'Days overdue', 'Owners', 'Source'],
      actions.vendorReviews.map((review) => [
        review.vendor.name,
        review.latest ? `${review.latest.name} (${day(review.latest.assessedAt)})` : 'never assessed',
        `${review.tier ?? ''}${review.failed ? ' (failed)' : ''}`,
        review.score,
        day(review.nextReviewDue),
        review.daysOverdue,
        names(review.vendor.owners),
        review.vendor.source,
      ]),
      'Every vendor review is current and passed.',
    ),
    '',
  );
  out.push(`### Ungated or exception models (${actions.gates.length})`, '');
  out.push(
    ...table(
      ['Model or agent', 'Type', 'Why', 'Decisions resting on it', 'Source'],
      actions.gates.map((found) => [found.subject.name, found.subject.__typename, found.reasons.join('; '), found.decisions.join(', '), found.subject.source]),
      'Every model and agent passed its gates.',
    ),
    '',
  );
  out.push(`### Expired evidence (${actions.expiredEvidence.length})`, '');
  out.push(
    ...table(
      ['Evidence', 'Expired', 'Supports', 'Kind', 'Owners', 'Source'],
      actions.expiredEvidence.map((row) => [row.name, day(row.expiresAt), row.supports.map((control) => control.name).join(', '), row.kind, names(row.owners), row.source]),
      'No evidence had expired.',
    ),
    '',
  );
  const late = actions.openIncidents.filter((row) => row.pastTarget);
  out.push(`### Open incidents past their targets (${late.length})`, '', `${actions.openIncidents.length} incident(s) open. ${TARGETS_TEXT}`, '');
  out.push(
    ...table(
      ['Incident', 'Severity', 'Status', 'Detected', 'Late on', 'Days late', 'Owners', 'Source'],
      late.map((row) => [row.name, row.severity, row.status, day(row.detectedAt), row.lateOn.join(', '), row.daysPastTarget, names(row.owners), row.source]),
      'No open incident is past its target.',
    ),
    '',
  );
  out.push(`### Shadow AI (${actions.shadowAI.length})`, '');
  out.push(
    ...table(
      ['Found in use', 'Department', 'Vendor', 'Users', 'First seen', 'Data it touches', 'Used by', 'Found by'],
      actions.shadowAI.map((item) => [
        item.name,
        item.department,
        item.vendorName,
        item.userCount,
        day(item.firstSeenAt),
        item.touches.map((data) => `${data.name}${data.containsPersonalData ? ' (personal data)' : data.classification === 'RESTRICTED' ? ' (restricted)' : ''}`).join(', '),
        names(item.owners),
        item.source,
      ]),
      'No shadow AI was found, or all of it was registered or dismissed.',
    ),
    '',
  );
  out.push(`### Assets without an owner (${actions.unownedAssets.total})`, '');
  if (actions.unownedAssets.total > actions.unownedAssets.items.length) out.push(`The first ${actions.unownedAssets.items.length}, by type and name.`, '');
  out.push(...table(['Asset', 'Type', 'Source'], actions.unownedAssets.items.map((asset) => [asset.name, asset.__typename, asset.source]), 'Every asset has an accountable owner.'));
  return out.join('\n') + '\n';
}
