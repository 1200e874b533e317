// The benchmark's output: one row per figure, as a Markdown table and as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';

export interface BenchRow {
  figure: string;
  portal: number;
  /** What the portal is compared with, measured in the same run; null where the target is absolute. */
  reference: number | null;
  unit: string;
  /** portal / reference (or reference / portal where higher-is-better is flipped); null without a reference. */
  ratio: number | null;
  target: string;
  pass: boolean;
  note?: string;
  /** Raw measurements behind the row (JSON only). */
  details?: Record<string, unknown>;
}

const fmt = (value: number | null, digits = 2): string => {
  if (value === null) return '—';
  if (Number.isInteger(value)) return String(value);
  // Sub-unit values (per-URL signing times) keep two significant digits instead of rounding to 0.0x.
  return Math.abs(value) < 1 ? value.toPrecision(2) : value.toFixed(digits);
};

/** 1 when a target is missed (a smoke run on tiny sizes measures nothing worth failing on), else 0. */
export function exitCodeFor(rows: readonly BenchRow[], smoke: boolean): 0 | 1 {
  return rows.some((r) => !r.pass) && !smoke ? 1 : 0;
}

export function toMarkdown(rows: readonly BenchRow[]): string {
  const lines = ['| figure | this portal | reference | ratio | target | result |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const unit = row.unit ? ` ${row.unit}` : '';
    lines.push(`| ${row.figure} | ${fmt(row.portal)}${unit} | ${row.reference === null ? '—' : fmt(row.reference) + unit} | ${fmt(row.ratio)} | ${row.target} | ${row.pass ? 'pass' : 'FAIL'}${row.note ? ` (${row.note})` : ''} |`);
  }
  return lines.join('\n');
}

export function writeJson(path: string, rows: readonly BenchRow[], parameters: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version };
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine, parameters, rows }, null, 2) + '\n');
}
