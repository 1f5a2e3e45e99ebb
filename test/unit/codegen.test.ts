import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('generated resolver types match the schema (run `npm run codegen` when this fails)', () => {
  const root = path.resolve(__dirname, '../..');
  const check = spawnSync(path.join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--check'], { cwd: root, encoding: 'utf8' });
  expect({ status: check.status, output: check.status === 0 ? '' : check.stdout + check.stderr }).toEqual({ status: 0, output: '' });
});

test('the generated query names match the cypher/ files (run `npm run codegen` when this fails)', () => {
  const root = path.resolve(__dirname, '../..');
  const check = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/generateQueryNames.ts', '--check'], { cwd: root, encoding: 'utf8' });
  expect({ status: check.status, output: check.stderr }).toEqual({ status: 0, output: '' });
});
