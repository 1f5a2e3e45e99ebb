import { escapeHtml as e } from '../compliance/exporters';
import type { CoverageStatus, Rating } from '../generated/graphql';
import { band, Band, HeatMap, SCALE, TrendPoint, VendorTier } from './model';
import type { FrameworkCoverageRow } from './operations';

/**
 * The report's pictures as inline SVG: drawn on the server from the figures, so the page needs no
 * script, font or image from anywhere, prints as it shows, and survives being mailed. Every mark
 * carries its figure in data- attributes and a <title>, for tests and for screen readers.
 */

export const BAND_COLOUR: Record<Band, string> = { LOW: '#2da44e', MEDIUM: '#d4a72c', HIGH: '#e16f24', CRITICAL: '#cf222e' };
export const STATUS_COLOUR: Record<CoverageStatus, string> = { SATISFIED: '#1a7f37', PARTIAL: '#d4a72c', GAP: '#cf222e', NOT_APPLICABLE: '#8c959f' };
export const STATUS_LABEL: Record<CoverageStatus, string> = { SATISFIED: 'Satisfied', PARTIAL: 'Partial', GAP: 'Gap', NOT_APPLICABLE: 'Not applicable' };
export const SERIES_COLOUR = { risks: '#cf222e', incidents: '#0969da' } as const;

const svg = (width: number, height: number, label: string, body: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${e(label)}" font-family="system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif" font-size="12">${body.join('')}</svg>`;

const text = (x: number, y: number, content: string, attributes = '') => `<text x="${x}" y="${y}" ${attributes}>${e(content)}</text>`;

/** Likelihood up the side (5 at the top), impact along the bottom; each cell coloured by the band of its score. */
export function heatMapSvg(map: HeatMap): string {
  const cell = 64;
  const left = 78;
  const top = 10;
  const size = cell * SCALE.length;
  const body: string[] = [];
  for (const likelihood of SCALE) {
    for (const impact of SCALE) {
      const count = map.cells[likelihood - 1][impact - 1];
      const x = left + (impact - 1) * cell;
      const y = top + (SCALE.length - likelihood) * cell;
      const colour = BAND_COLOUR[band(likelihood * impact)];
      const what = `likelihood ${likelihood} × impact ${impact}: ${count} open risk${count === 1 ? '' : 's'}`;
      body.push(
        `<g class="cell" data-likelihood="${likelihood}" data-impact="${impact}" data-count="${count}"><title>${e(what)}</title>` +
          `<rect x="${x + 2}" y="${y + 2}" width="${cell - 4}" height="${cell - 4}" rx="4" fill="${colour}" fill-opacity="${count > 0 ? 1 : 0.18}"/>` +
          (count > 0 ? text(x + cell / 2, y + cell / 2 + 6, String(count), 'text-anchor="middle" font-size="18" font-weight="bold" fill="#fff"') : '') +
          '</g>',
      );
    }
    body.push(text(left - 10, top + (SCALE.length - likelihood) * cell + cell / 2 + 4, String(likelihood), 'text-anchor="end" fill="#57606a"'));
  }
  for (const impact of SCALE) body.push(text(left + (impact - 1) * cell + cell / 2, top + size + 18, String(impact), 'text-anchor="middle" fill="#57606a"'));
  body.push(text(left + size / 2, top + size + 40, 'Impact', 'text-anchor="middle" font-weight="bold"'));
  body.push(text(16, top + size / 2, 'Likelihood', `text-anchor="middle" font-weight="bold" transform="rotate(-90 16 ${top + size / 2})"`));
  return svg(left + size + 10, top + size + 50, 'Risk heat map: open risks by likelihood and impact', body);
}

/** Open risks and open incidents at each quarter's end, as two lines over the quarters; the incidents' smaller dots stay visible on equal figures. */
export function trendSvg(points: readonly TrendPoint[]): string {
  const width = 680;
  const height = 260;
  const left = 52;
  const right = 24;
  const top = 24;
  const bottom = 46;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const highest = Math.max(1, ...points.flatMap((point) => [point.openRisks, point.openIncidents]));
  const step = Math.max(1, Math.ceil(highest / 4));
  const ceiling = step * 4;
  const x = (index: number) => left + (points.length === 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const y = (value: number) => top + plotHeight - (value / ceiling) * plotHeight;
  const body: string[] = [];
  for (let tick = 0; tick <= ceiling; tick += step) {
    body.push(`<line x1="${left}" x2="${width - right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#d0d7de" stroke-width="1"/>`);
    body.push(text(left - 8, y(tick) + 4, String(tick), 'text-anchor="end" fill="#57606a"'));
  }
  points.forEach((point, index) => body.push(text(x(index), height - bottom + 20, point.quarter, 'text-anchor="middle" fill="#57606a"')));
  for (const [series, label, value] of [
    ['risks', 'Open risks', (point: TrendPoint) => point.openRisks],
    ['incidents', 'Open incidents', (point: TrendPoint) => point.openIncidents],
  ] as const) {
    const colour = SERIES_COLOUR[series];
    if (points.length > 1) {
      body.push(`<polyline class="line" data-series="${series}" fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((point, index) => `${x(index)},${y(value(point))}`).join(' ')}"/>`);
    }
    points.forEach((point, index) =>
      body.push(
        `<circle class="point" data-series="${series}" data-quarter="${e(point.quarter)}" data-value="${value(point)}" cx="${x(index)}" cy="${y(value(point))}" r="${series === 'risks' ? 6 : 4}" fill="${colour}"><title>${e(`${label} at the end of ${point.quarter}: ${value(point)}`)}</title></circle>`,
      ),
    );
  }
  body.push(`<rect x="${left}" y="${height - 16}" width="12" height="12" fill="${SERIES_COLOUR.risks}"/>`, text(left + 18, height - 6, 'Open risks'));
  body.push(`<rect x="${left + 120}" y="${height - 16}" width="12" height="12" fill="${SERIES_COLOUR.incidents}"/>`, text(left + 138, height - 6, 'Open incidents'));
  return svg(width, height, 'Trend of open risks and open incidents by quarter', body);
}

const COVERAGE_ORDER: readonly CoverageStatus[] = ['SATISFIED', 'PARTIAL', 'GAP', 'NOT_APPLICABLE'];

/** One bar per framework, split by coverage status in proportion to its requirements. */
export function coverageSvg(rows: readonly FrameworkCoverageRow[]): string {
  const labelWidth = 250;
  const barWidth = 400;
  const rowHeight = 34;
  const top = 8;
  const body: string[] = [];
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    const label = row.framework.name.length > 36 ? `${row.framework.name.slice(0, 35)}…` : row.framework.name;
    body.push(`<g><title>${e(row.framework.name)}</title>${text(0, y + 17, label, 'fill="#1f2328"')}</g>`);
    body.push(`<g class="bar" data-framework="${e(row.framework.key)}" data-total="${row.total}">`);
    if (row.total === 0) body.push(`<rect x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="20" fill="#eaeef2"/>`);
    let offset = 0;
    for (const status of COVERAGE_ORDER) {
      const count = row.counts.find((entry) => entry.status === status)?.count ?? 0;
      if (count === 0 || row.total === 0) continue;
      const width = (count / row.total) * barWidth;
      body.push(
        `<rect class="segment" data-status="${status}" data-count="${count}" x="${labelWidth + offset}" y="${y + 4}" width="${width}" height="20" fill="${STATUS_COLOUR[status]}"><title>${e(`${row.framework.name}: ${STATUS_LABEL[status]} ${count} of ${row.total}`)}</title></rect>`,
      );
      offset += width;
    }
    body.push('</g>');
    const satisfied = row.counts.find((entry) => entry.status === 'SATISFIED')?.percent ?? 0;
    body.push(text(labelWidth + barWidth + 10, y + 18, `${satisfied}% satisfied`, 'fill="#57606a"'));
  });
  return svg(labelWidth + barWidth + 110, top + Math.max(1, rows.length) * rowHeight + 4, 'Coverage per framework by status', body);
}

export const TIER_COLOUR: Record<Rating | 'NONE', string> = { CRITICAL: '#cf222e', HIGH: '#e16f24', MEDIUM: '#d4a72c', LOW: '#2da44e', NONE: '#8c959f' };
export const tierLabel = (tier: Rating | null) => (tier === null ? 'Never assessed' : `${tier.charAt(0)}${tier.slice(1).toLowerCase()}`);
const TIERS: ReadonlyArray<Rating | null> = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', null];

/** Vendors by the tier of their latest review (CRITICAL: the review failed), never assessed last; every tier has its row. */
export function vendorTiersSvg(groups: readonly VendorTier[]): string {
  const labelWidth = 130;
  const barWidth = 420;
  const rowHeight = 32;
  const top = 8;
  const count = (tier: Rating | null) => groups.find((group) => group.tier === tier)?.vendors.length ?? 0;
  const most = Math.max(1, ...TIERS.map(count));
  const body: string[] = [];
  TIERS.forEach((tier, index) => {
    const y = top + index * rowHeight;
    const vendors = count(tier);
    body.push(text(0, y + 17, tierLabel(tier), 'fill="#1f2328"'));
    body.push(`<rect x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="20" fill="#f6f8fa"/>`);
    if (vendors > 0) {
      body.push(
        `<rect class="tier" data-tier="${tier ?? 'NONE'}" data-count="${vendors}" x="${labelWidth}" y="${y + 4}" width="${(vendors / most) * barWidth}" height="20" fill="${TIER_COLOUR[tier ?? 'NONE']}"><title>${e(`${tierLabel(tier)}: ${vendors} vendor${vendors === 1 ? '' : 's'}`)}</title></rect>`,
      );
    }
    body.push(text(labelWidth + barWidth + 10, y + 18, String(vendors), 'fill="#57606a"'));
  });
  return svg(labelWidth + barWidth + 50, top + TIERS.length * rowHeight + 4, 'Vendors by review tier', body);
}
