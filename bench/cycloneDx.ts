/**
 * `npm run bench:cyclonedx [-- --smoke] [--write]`
 *
 * Imports a generated CycloneDX ML-BOM of 10,000 components (2,500 models with model cards naming
 * two datasets each and one of 50 suppliers, 7,500 data components, a third derived from the one
 * before) with importDocument, and syncs the same records and relationships (the import's own
 * payload) with syncInventory, each into a fresh source as one call through the API's GraphQL
 * execution, in the same run: the issue's bar is an import throughput of at least 0.8× the sync's.
 * MAX_SYNC_BATCH is raised so that the sync is one transaction, as the import is. Two rounds, the
 * first a warm-up; in each the two alternate who goes first. Prints Markdown; --write puts it into
 * bench/README.md. Exits 1 when a write fails or the bar is missed.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { cycloneDx } from '../src/formats/cyclonedx/importer';
import { runBench, startBenchApp } from './app';
import { int, machine, machineLine, ratio, table, writeFigures } from './report';

const BAR = 0.8;

function mlBom(components: number): Record<string, unknown> {
  const models = Math.floor(components / 4);
  const datasets = components - models;
  const dataset = (i: number) => ({
    type: 'data',
    'bom-ref': `ds-${i}`,
    name: `Dataset ${i}`,
    data: [{ type: 'dataset', classification: i % 2 === 0 ? 'internal' : 'confidential', contents: { url: `s3://bench/ds-${i}` } }],
  });
  const model = (i: number) => ({
    type: 'machine-learning-model',
    'bom-ref': `model-${i}`,
    supplier: { 'bom-ref': `vendor-${i % 50}`, name: `Vendor ${i % 50}` },
    name: `Model ${i}`,
    version: `1.${i % 10}`,
    modelCard: { modelParameters: { task: 'classification', approach: { type: 'supervised' }, datasets: [{ ref: `ds-${(3 * i) % datasets}` }, { ref: `ds-${(3 * i + 1) % datasets}` }] } },
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    components: [...Array.from({ length: models }, (_, i) => model(i)), ...Array.from({ length: datasets }, (_, i) => dataset(i))],
    dependencies: Array.from({ length: datasets }, (_, i) => i).filter((i) => i % 3 === 1).map((i) => ({ ref: `ds-${i}`, dependsOn: [`ds-${i - 1}`] })),
  };
}

const IMPORT = 'mutation($input: ImportDocumentInput!) { importDocument(input: $input) { sync { ok assets { created } relationships { created } } } }';
const SYNC = 'mutation($input: SyncInventoryInput!) { syncInventory(input: $input) { ok assets { created } relationships { created } } }';

async function main(): Promise<number> {
  const smoke = process.argv.includes('--smoke');
  const components = smoke ? 500 : 10_000;
  const { app, stop } = await startBenchApp({ MAX_SYNC_BATCH: '1000000' });
  const loadBefore = os.loadavg()[0];
  const failures: string[] = [];
  const rows: Array<Array<string | number>> = [];
  try {
    const bom = mlBom(components);
    const conversion = cycloneDx.convert(bom);
    const items = Object.values(conversion.assets).reduce((total, batch) => total + (batch?.length ?? 0), 0) + conversion.relationships.length;
    const run = async (label: string, query: string, input: (source: string) => Record<string, unknown>) => {
      const source = `bench-cdx-${randomUUID().slice(0, 8)}`;
      const context = app.server.createContext('bench', 'bench');
      const started = performance.now();
      const response = await app.server.apollo.executeOperation({ query, variables: { input: input(source) } }, { contextValue: context });
      const seconds = (performance.now() - started) / 1000;
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      if (!result || result.errors) failures.push(`${label}: ${JSON.stringify(result?.errors ?? 'no single result').slice(0, 500)}`);
      return seconds;
    };
    const importing = () => run('importDocument', IMPORT, (source) => ({ source, document: bom }));
    const syncing = () => run('syncInventory', SYNC, (source) => ({ source, assets: conversion.assets, relationships: conversion.relationships }));
    for (const round of [1, 2]) {
      const [importSeconds, syncSeconds] = round === 1 ? [await importing(), await syncing()] : await (async () => {
        const sync = await syncing();
        return [await importing(), sync];
      })();
      const importRate = items / importSeconds;
      const syncRate = items / syncSeconds;
      process.stderr.write(`round ${round}: import ${int(importRate)} items/s, sync ${int(syncRate)} items/s\n`);
      if (round === 2) {
        rows.push(['importDocument (CycloneDX ML-BOM)', int(components), int(items), importSeconds.toFixed(2), int(importRate), ratio(importRate, syncRate)]);
        rows.push(['syncInventory (the same records)', '', int(items), syncSeconds.toFixed(2), int(syncRate), '1.00×']);
        if (!smoke && importRate < BAR * syncRate) failures.push(`import throughput ${ratio(importRate, syncRate)} the sync's, under the bar of ${BAR}×`);
      }
    }
    const markdown = `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine(machine('5.26'))}; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end. Each call is one transaction into a fresh source, through the API's GraphQL execution (no HTTP); the second of two rounds (the first warms up). Items are records plus relationships.\n\n${table(
      ['call', 'components', 'items', 'seconds', 'items/s', 'vs syncInventory'],
      rows,
    )}\n`;
    process.stdout.write(markdown);
    if (failures.length > 0) {
      process.stderr.write(`${failures.length} check(s) failed:\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n`);
      return 1;
    }
    if (write(process.argv)) writeFigures(path.join(__dirname, 'README.md'), 'cyclonedx', markdown);
    return 0;
  } finally {
    await stop();
  }
}

const write = (argv: string[]) => argv.includes('--write') && !argv.includes('--smoke');

runBench(main);
