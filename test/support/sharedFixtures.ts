import fs from 'node:fs';
import path from 'node:path';

/**
 * The real public files beside the checkout (../shared, or LINEAGE_SHARED_FIXTURES in CI). Tests
 * on them are skipped where they are absent, and say so in the run's output every time: by the
 * skipped test's name and a warning, never silently.
 */
export const SHARED_FIXTURES = process.env.LINEAGE_SHARED_FIXTURES ?? path.resolve(__dirname, '../../../shared/fixtures');
export const SHARED_REFERENCE = path.resolve(SHARED_FIXTURES, '../reference');

export function testWithSharedFile(file: string, name: string, body: () => unknown, timeout?: number): void {
  if (fs.existsSync(file)) {
    test(name, body as jest.ProvidesCallback, timeout);
    return;
  }
  const reason = `${file} not found (set LINEAGE_SHARED_FIXTURES to the shared fixtures folder)`;
  // eslint-disable-next-line no-console
  console.warn(`Skipping "${name}": ${reason}`);
  test.skip(`${name} [SKIPPED: ${reason}]`, () => undefined);
}
