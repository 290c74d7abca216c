// The fuzz suites, long: `npm run fuzz` (FUZZ_RUNS runs of each property, default 100,000;
// FUZZ_SEED, default a new one, printed so that a failure can be run again). `npm test` runs
// the same suites with seed 25 and a few thousand runs each. The browser suites run in
// Chromium through web-test-runner, the tracker's against the real tracker process.
import { run } from './isolate.ts';

const runs = process.env.FUZZ_RUNS ?? '100000';
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzzing: ${runs} runs of each property, seed ${seed} (FUZZ_RUNS, FUZZ_SEED)`);

// Vite hands the browser only VITE_-prefixed variables.
const env = {
  ...process.env,
  FUZZ_RUNS: runs,
  FUZZ_SEED: seed,
  VITE_FUZZ_RUNS: runs,
  VITE_FUZZ_SEED: seed,
};
const browser = run('npx', ['wtr', '--files', 'test/unit/fuzz-*.test.ts'], env);
const tracker = run('npx', ['tsx', 'scripts/e2e.ts', 'test/e2e/tracker-fuzz.spec.ts'], env);
console.log(
  `fuzzing with seed ${seed}: browser suites ${browser === 0 ? 'passed' : 'FAILED'}, tracker ${tracker === 0 ? 'passed' : 'FAILED'}`,
);
process.exit(browser || tracker);
