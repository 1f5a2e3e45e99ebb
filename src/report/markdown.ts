import { mdCell } from '../compliance/exporters';
import { STATUS_LABEL } from './charts';
import { standingText, TARGETS_TEXT } from './html';
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

  out.push('## Needs action', '');
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
      ['Incident', 'Severity', 'Status', 'Detected', 'Close by', 'Days late', 'Owners', 'Source'],
      late.map((row) => [row.name, row.severity, row.status, day(row.detectedAt), day(row.closeBy), row.daysPastTarget, names(row.owners), row.source]),
      'No open incident is past its target.',
    ),
  );
  return out.join('\n') + '\n';
}
