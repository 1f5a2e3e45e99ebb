import { escapeHtml as e } from '../compliance/exporters';
import { BAND_COLOUR, coverageSvg, heatMapSvg, STATUS_COLOUR, STATUS_LABEL, trendSvg } from './charts';
import { band, CLOSE_TARGET_DAYS, QuarterlyReport, riskScore } from './model';

/**
 * The report as one self-contained page for executives and the board: inline CSS and inline SVG,
 * no script, font or image fetched from anywhere (the export routes' CSP allows inline styles and
 * nothing else), readable printed. Every section is a <section data-section> so that a test can
 * tell a missing one from an empty one.
 */

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const names = (owners: Array<{ name: string }>) => owners.map((owner) => owner.name).join(', ');
const day = (instant: string | null) => (instant ? instant.slice(0, 10) : '');

export const TARGETS_TEXT = `Each is to be closed within a target set by severity: ${(Object.entries(CLOSE_TARGET_DAYS) as Array<[string, number]>)
  .map(([severity, days]) => `${severity.toLowerCase()} ${days} days`)
  .join(', ')} (unrated: as medium).`;

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
        ['Incident', 'Severity', 'Status', 'Detected', 'Close by', 'Days late', 'Owners', 'Source'],
        late.map((row) => [e(row.name), e(row.severity ?? ''), e(row.status ?? ''), day(row.detectedAt), day(row.closeBy), String(row.daysPastTarget), e(names(row.owners)), e(row.source)]),
        'No open incident is past its target.',
      ),
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
${coverage}
<section id="actions" data-section="actions"><h2>Needs action</h2>
${expired}
${incidents}
</section>
<footer>Made by Lineage Graph from the organisation's own records; coverage summaries are not legal advice.</footer>
</body>
</html>
`;
}
