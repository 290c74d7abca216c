// The run's JSON under bench/results/: what was planned, every sample with how quiet the
// machine was, every row, and which Chromium and commit ran.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { browserPath } from '../scripts/browser.js';
import type { Plan } from './plan.ts';
import type { RowResult, Sample } from './report.ts';
import { ROOT } from './servers.ts';

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function browserVersion(): string {
  try {
    return execFileSync(browserPath(), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

export interface RunResults {
  readonly elapsedS: number;
  readonly skipped: readonly string[];
  readonly commit: string;
  /** The 1-minute load average when the run started. */
  readonly startLoad: number;
  /** Why the run is noisy (empty: quiet). */
  readonly noisy: readonly string[];
  readonly plan: Plan;
  readonly rows: readonly RowResult[];
  readonly samples: readonly Sample[];
}

/** Writes the run's JSON; returns its path. */
export function saveResults(startedMs: number, results: RunResults): string {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date(startedMs).toISOString().replaceAll(':', '-')}.json`);
  const { rows, ...rest } = results;
  const json = {
    startedAt: new Date(startedMs).toISOString(),
    ...rest,
    chromium: browserVersion(),
    loadAverage: loadavg(),
    rows: rows.map(
      ({
        key,
        label,
        unit,
        better,
        na,
        shoalOnly,
        samples,
        medians,
        alsoMedians,
        ratio,
        goal,
        limit,
      }) => ({
        key,
        label,
        unit,
        better,
        na,
        shoalOnly,
        medians,
        alsoMedians,
        ratio,
        goal,
        limit,
        samples,
      }),
    ),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}
