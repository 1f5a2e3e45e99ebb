import { escapeHtml as e } from '../compliance/exporters';
import { BAND_COLOUR, coverageSvg, heatMapSvg, STATUS_COLOUR, STATUS_LABEL, TIER_COLOUR, tierLabel, trendSvg, vendorTiersSvg } from './charts';
import { band, INCIDENT_TARGETS, QuarterlyReport, riskScore } from './model';

/**
 * The report as one self-contained page for executives and the board: inline CSS and inline SVG,
 * no script, font or image fetched from anywhere (the export routes' CSP allows inline styles and
 * nothing else), readable printed. Every section is a <section data-section> so that a test can
 * tell a missing one from an empty one.
 */

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const names = (owners: Array<{ name: string }>) => owners.map((owner) => owner.name).join(', ');
const day = (instant: string | null) => (instant ? instant.slice(0, 10) : '');

export const TARGETS_TEXT = `Targets by severity, from detection: ${Object.entries(INCIDENT_TARGETS)
  .map(([severity, target]) => `${severity.toLowerCase()} contained within ${target.containHours} hours and closed within ${target.closeDays} days`)
  .join('; ')} (unrated: as medium).`;

/** Hours as a person reads them: 1 decimal under two days, else days; a dash for none yet. */
export const duration = (hours: number | null) => (hours === null ? '–' : hours < 48 ? `${Math.round(hours * 10) / 10} h` : `${Math.round((hours / 24) * 10) / 10} d`);

/** When the figures stand: the quarter's end, or today's state while the quarter runs. */
export const standingText = (report: QuarterlyReport) =>
  report.closed ? `Figures as they stood at the end of the quarter (${report.instant}).` : `The quarter is still running: figures as of ${report.instant}.`;

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" data-empty="true">${e(empty)}</p>`;
  return `<table><thead><tr>${headers.map((header) => `<th>${e(header)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const section = (id: string, title: string, body: string, level = 2) => `<section id="${id}" data-section="${id}"><h${level}>${e(title)}</h${level}>${body}</section>`;

export function reportToHtml(report: QuarterlyReport): string {
  const { actions } = report;
  const late = actions.openIncidents.filter((row) => row.pastTarget);
  const bands = report.openRisks.reduce<Record<string, number>>((counts, risk) => {
    const score = riskScore(risk);
    if (score !== null) counts[band(score)] = (counts[band(score)] ?? 0) + 1;
    return counts;
  }, {});
  const tile = (id: string, figure: number, label: string, detail = '') =>
    `<div class="tile" data-figure="${id}"><div class="figure">${figure}</div><div class="label">${e(label)}</div>${detail ? `<div class="detail">${e(detail)}</div>` : ''}</div>`;
  const summary = section(
    'summary',
    'At a glance',
    `<div class="tiles">${[
      tile('open-risks', report.openRisks.length, 'open risks', `${bands.CRITICAL ?? 0} critical, ${bands.HIGH ?? 0} high`),
      tile('open-incidents', actions.openIncidents.length, 'open incidents', `${late.length} past target`),
      tile('expired-evidence', actions.expiredEvidence.length, 'expired evidence'),
      tile('vendor-reviews', actions.vendorReviews.length, 'vendor reviews overdue or failed'),
      tile('gates', actions.gates.length, 'models or agents past a gate without approval'),
      tile('shadow-ai', actions.shadowAI.length, 'shadow AI in use'),
      tile('unowned-assets', actions.unownedAssets.total, 'assets without an owner'),
      tile('models', report.modelsByRiskTier.reduce((sum, tier) => sum + tier.count, 0), 'AI models in use', report.modelsByRiskTier.map((tier) => `${tier.tier} ${tier.count}`).join(' · ')),
    ].join('')}</div>`,
  );

  const risks = [...report.openRisks].sort((a, b) => (riskScore(b) ?? -1) - (riskScore(a) ?? -1) || a.name.localeCompare(b.name));
  const riskRows = risks.map((risk) => {
    const score = riskScore(risk);
    const tag = score === null ? '' : `<span class="tag" style="background:${BAND_COLOUR[band(score)]}">${score}</span>`;
    return [e(risk.name), tag, e(String(risk.likelihood ?? '')), e(String(risk.impact ?? '')), e(risk.category ?? ''), e(risk.status ?? ''), e(names(risk.owners))];
  });
  const heat = section(
    'risk-heat-map',
    'Risk register: likelihood × impact',
    `<div class="figure-row">${heatMapSvg(report.heatMap)}<div class="legend">${(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const)
      .map((name) => `<div><span class="swatch" style="background:${BAND_COLOUR[name]}"></span>${name.toLowerCase()}</div>`)
      .join('')}<p class="meta">${e(plural(report.openRisks.length, 'open risk'))} (not closed), as rated in the register.${
      report.heatMap.unscored > 0 ? ` ${e(plural(report.heatMap.unscored, 'risk'))} without a likelihood or impact on the 1-5 scale ${report.heatMap.unscored === 1 ? 'is' : 'are'} not on the map.` : ''
    }</p></div></div>` + table(['Open risk', 'Score', 'Likelihood', 'Impact', 'Category', 'Status', 'Owners'], riskRows, 'No open risks.'),
  );

  const earliest = report.trend[0]?.quarter;
  const trend = section(
    'trend',
    'Trend: open risks and incidents by quarter',
    trendSvg(report.trend) +
      `<p class="meta">At the end of each quarter${report.closed ? '' : ' (the current one: now)'}${
        report.trend.length < 8 ? `; the graph's history begins in ${e(earliest ?? report.quarter.label)}, so earlier quarters have no figures` : ''
      }.</p>` +
      table(['Quarter', 'Open risks', 'Open incidents'], report.trend.map((point) => [e(point.quarter), String(point.openRisks), String(point.openIncidents)]), 'No quarter to show.'),
  );

  const coverage = section(
    'coverage',
    'Coverage per framework',
    coverageSvg(report.coverage) +
      `<div class="legend inline">${(['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'] as const)
        .map((status) => `<span><span class="swatch" style="background:${STATUS_COLOUR[status]}"></span>${STATUS_LABEL[status]}</span>`)
        .join('')}</div>` +
      table(
        ['Framework', 'Requirements', ...(['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'] as const).map((status) => STATUS_LABEL[status])],
        report.coverage.map((row) => [
          e(`${row.framework.name} ${row.framework.version}`),
          String(row.total),
          ...(['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'] as const).map((status) => {
            const count = row.counts.find((entry) => entry.status === status);
            return count ? `${count.count} (${count.percent}%)` : '0';
          }),
        ]),
        'No framework catalogue is loaded.',
      ),
  );

  const vendors = section(
    'vendor-tiers',
    'Vendors by review tier',
    vendorTiersSvg(report.vendorTiers) +
      `<p class="meta">The tier of each vendor's latest review as it stood then (a critical review fails); the decisions of high or critical impact that rest on each.</p>` +
      table(
        ['Tier', 'Vendor', 'Score', 'Next review due', 'High-impact decisions resting on it'],
        report.vendorTiers.flatMap((group) =>
          group.vendors.map(({ review, highImpactDecisions, decisionCount }) => [
            `<span class="tag" style="background:${TIER_COLOUR[group.tier ?? 'NONE']}">${e(tierLabel(group.tier))}</span>`,
            e(review.vendor.name),
            e(String(review.score ?? '')),
            day(review.nextReviewDue),
            e(`${highImpactDecisions.join(', ')}${decisionCount > 0 ? ` (${plural(decisionCount, 'decision')} in all)` : ''}`),
          ]),
        ),
        'No vendor is recorded.',
      ),
  );

  const response = section(
    'incident-response',
    `Incident response: incidents detected in ${report.quarter.label}`,
    table(
      ['Category', 'Incidents', 'Not contained', 'Not closed', 'Time to contain (mean / median / max)', 'Time to close (mean / median / max)'],
      report.incidentResponse.map((row) => [
        e(row.category ?? 'uncategorised'),
        String(row.incidents),
        String(row.uncontained),
        String(row.open),
        e([row.meanHoursToContain, row.medianHoursToContain, row.maxHoursToContain].map(duration).join(' / ')),
        e([row.meanHoursToClose, row.medianHoursToClose, row.maxHoursToClose].map(duration).join(' / ')),
      ]),
      'No incident was detected in the quarter.',
    ),
  );

  const reviews = section(
    'overdue-vendor-reviews',
    `Vendor reviews overdue or failed (${actions.vendorReviews.length})`,
    table(
      ['Vendor', 'Latest review', 'Tier', 'Score', 'Due', 'Days overdue', 'Owners', 'Source'],
      actions.vendorReviews.map((review) => [
        e(review.vendor.name),
        e(review.latest ? `${review.latest.name} (${day(review.latest.assessedAt)})` : 'never assessed'),
        e(`${review.tier ?? ''}${review.failed ? ' (failed)' : ''}`),
        e(String(review.score ?? '')),
        day(review.nextReviewDue),
        e(String(review.daysOverdue ?? '')),
        e(names(review.vendor.owners)),
        e(review.vendor.source),
      ]),
      'Every vendor review is current and passed.',
    ),
    3,
  );
  const gates = section(
    'ungated-models',
    `Ungated or exception models (${actions.gates.length})`,
    table(
      ['Model or agent', 'Type', 'Why', 'Decisions resting on it', 'Source'],
      actions.gates.map((found) => [e(found.subject.name), e(found.subject.__typename), e(found.reasons.join('; ')), e(found.decisions.join(', ')), e(found.subject.source)]),
      'Every model and agent passed its gates.',
    ),
    3,
  );

  const expired = section(
    'expired-evidence',
    `Expired evidence (${actions.expiredEvidence.length})`,
    table(
      ['Evidence', 'Expired', 'Supports', 'Kind', 'Owners', 'Source'],
      actions.expiredEvidence.map((row) => [e(row.name), day(row.expiresAt), e(row.supports.map((control) => control.name).join(', ')), e(row.kind ?? ''), e(names(row.owners)), e(row.source)]),
      'No evidence had expired.',
    ),
    3,
  );
  const incidents = section(
    'incidents-past-target',
    `Open incidents past their targets (${late.length})`,
    `<p class="meta">${e(`${plural(actions.openIncidents.length, 'incident')} open. ${TARGETS_TEXT}`)}</p>` +
      table(
        ['Incident', 'Severity', 'Status', 'Detected', 'Late on', 'Days late', 'Owners', 'Source'],
        late.map((row) => [e(row.name), e(row.severity ?? ''), e(row.status ?? ''), day(row.detectedAt), e(row.lateOn.join(', ')), String(row.daysPastTarget), e(names(row.owners)), e(row.source)]),
        'No open incident is past its target.',
      ),
    3,
  );

  const shadow = section(
    'shadow-ai',
    `Shadow AI (${actions.shadowAI.length})`,
    table(
      ['Found in use', 'Department', 'Vendor', 'Users', 'First seen', 'Data it touches', 'Used by', 'Found by'],
      actions.shadowAI.map((item) => [
        e(item.name),
        e(item.department ?? ''),
        e(item.vendorName ?? ''),
        e(String(item.userCount ?? '')),
        day(item.firstSeenAt),
        e(item.touches.map((data) => `${data.name}${data.containsPersonalData ? ' (personal data)' : data.classification === 'RESTRICTED' ? ' (restricted)' : ''}`).join(', ')),
        e(names(item.owners)),
        e(item.source),
      ]),
      'No shadow AI was found, or all of it was registered or dismissed.',
    ),
    3,
  );
  const unowned = section(
    'unowned-assets',
    `Assets without an owner (${actions.unownedAssets.total})`,
    (actions.unownedAssets.total > actions.unownedAssets.items.length ? `<p class="meta">The first ${actions.unownedAssets.items.length}, by type and name.</p>` : '') +
      table(['Asset', 'Type', 'Source'], actions.unownedAssets.items.map((asset) => [e(asset.name), e(asset.__typename), e(asset.source)]), 'Every asset has an accountable owner.'),
    3,
  );

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`AI security posture: ${report.quarter.label}`)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;padding:0 2rem;color:#1f2328;max-width:1100px}
h1{margin-bottom:.2rem}h2{font-size:1.2rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
.meta{color:#57606a;font-size:.9rem;margin:.3rem 0 .8rem}
.tiles{display:flex;gap:1rem;flex-wrap:wrap}
.tile{border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem;min-width:180px}
.tile .figure{font-size:2rem;font-weight:bold}.tile .label{font-weight:600}.tile .detail{color:#57606a;font-size:.85rem}
.figure-row{display:flex;gap:2rem;align-items:flex-start;flex-wrap:wrap}
.legend div,.legend.inline span{margin:.2rem .8rem .2rem 0}.legend.inline{display:flex;flex-wrap:wrap;margin:.4rem 0}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:.4rem;vertical-align:-1px}
svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;margin-top:.8rem;font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
.tag{padding:1px 6px;border-radius:3px;color:#fff;font-weight:600}
.empty{color:#57606a;font-style:italic}
footer{margin-top:2.5rem;color:#57606a;font-size:.8rem}
@media print{body{margin:0;max-width:none}section{break-inside:avoid-page}.swatch,.tag{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
<header>
<h1>AI security posture: ${e(report.quarter.label)}</h1>
<p class="meta">${e(`${day(report.quarter.start)} to ${day(new Date(Date.parse(report.quarter.end) - 1).toISOString())}. ${standingText(report)} Generated ${report.generatedAt}.`)}</p>
</header>
${summary}
${heat}
${trend}
${response}
${coverage}
${vendors}
<section id="actions" data-section="actions"><h2>Needs action</h2>
${reviews}
${gates}
${expired}
${incidents}
${shadow}
${unowned}
</section>
<footer>Made by Lineage Graph from the organisation's own records; coverage summaries are not legal advice.</footer>
</body>
</html>
`;
}
