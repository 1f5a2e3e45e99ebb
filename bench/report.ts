import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** Latency figures of one series, in milliseconds. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles: with 100 samples p99 is the 99th value, not an interpolation. */
export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

export const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
  java: string;
  neo4j: string;
}

export function machine(neo4jVersion: string): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // Not Linux: os.cpus() named it.
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaLine = `${java.stderr ?? ''}${java.stdout ?? ''}`.split('\n')[0]?.trim() || 'not found';
  return {
    cpu,
    cores: os.cpus().length,
    ramGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    java: javaLine,
    neo4j: neo4jVersion,
  };
}

/**
 * CPU seconds a process has used so far (user and system), from fields 14 and 15 of /proc/<pid>/stat
 * (after the parenthesised command name; USER_HZ = 100 on Linux); undefined where there is no /proc.
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}; Node ${m.node}; ${m.java}; Neo4j ${m.neo4j}`;
}

/**
 * Replaces the figures of one size in the README, between its markers, and leaves every other line
 * (the prose, the other sizes) as it is.
 */
export function writeFigures(readmePath: string, size: string, markdown: string): void {
  const start = `<!-- figures:${size}:start -->`;
  const end = `<!-- figures:${size}:end -->`;
  const text = fs.readFileSync(readmePath, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readmePath} has no ${start} … ${end} section to write the figures into`);
  fs.writeFileSync(readmePath, `${text.slice(0, from + start.length)}\n${markdown.trim()}\n${text.slice(to)}`);
}
