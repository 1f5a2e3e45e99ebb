import fs from 'node:fs';
import path from 'node:path';
import { readRegulation } from '../../src/systems/classification';
import { SHARED_REFERENCE, testWithSharedFile } from '../support/sharedFixtures';

/**
 * What a classification is checked against (seed/ai-act-classification.json) is the regulation's
 * own numbering: every Annex III point and Annex I act, no more and no fewer, read from the
 * regulation's text.
 */
const TEXT = path.join(SHARED_REFERENCE, 'eu-ai-act-2024-1689.md');

/** The lines of the regulation between one heading and the next. */
function annex(text: string, from: string, to: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === from);
  const end = lines.findIndex((line, index) => index > start && line.trim() === to);
  return lines.slice(start + 1, end);
}

testWithSharedFile(TEXT, 'Annex III points and Annex I acts are exactly the regulation’s', () => {
  const text = fs.readFileSync(TEXT, 'utf8');
  const { annexIII, annexI } = readRegulation();

  // Annex III: "5.   Access to ..." opens an area, "(b)   AI systems ..." a point of it; an area without points stands alone.
  const points: string[] = [];
  let area: string | null = null;
  let areaHasPoints = true;
  for (const line of annex(text, 'ANNEX III', 'ANNEX IV')) {
    const opened = /^(\d)\.\s{2,}(.*)$/.exec(line);
    const point = /^\(([a-z])\)\s{2,}/.exec(line);
    if (opened) {
      if (area && !areaHasPoints) points.push(area);
      area = opened[1];
      areaHasPoints = false;
    } else if (point && area) {
      points.push(`${area}(${point[1]})`);
      areaHasPoints = true;
    }
  }
  if (area && !areaHasPoints) points.push(area);
  expect(annexIII.map((entry) => entry.point).sort()).toEqual(points.sort());
  expect(points).toHaveLength(25);

  // Annex I: "  11.   Regulation (EU) 2017/745 of the European Parliament ..." in Sections A and B.
  const acts = annex(text, 'ANNEX I', 'ANNEX II')
    .map((line) => /^\s+(\d+)\.\s{2,}((?:Directive|Regulation) \S+(?: No)? \S+)/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ item: Number(match[1]), act: match[2].replace(/ of$/, '') }));
  expect(annexI.map(({ item, act }) => ({ item, act }))).toEqual(acts);
  expect(acts).toHaveLength(20);
});
