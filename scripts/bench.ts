// `npm run bench [-- --quick] [--rounds N] [--budget-min M] [--only stream|assist|many|overlay|download|hidden|heap|swarm] [--big-mib N] [--profile] [--trace]`: Shoal against stock WebTorrent, side by side
// (bench/README.md explains the table). Builds the app for the bench tracker, then, as root
// on Linux, runs inside a private network namespace (scripts/isolate.ts), like the e2e
// tests. Exits non-zero only when a run fails (a timeout, a page error), never on a slow figure.
import { run, runIsolated } from './isolate.ts';
import { BENCH_OUT_DIR, BENCH_PORTS } from '../bench/servers.ts';
import { makePlan, ONLY_SECTIONS, type OnlySection } from '../bench/plan.ts';
import { runBench } from '../bench/run.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : undefined;
const budgetArg = args.indexOf('--budget-min');
const budgetMin = budgetArg >= 0 ? Number(args[budgetArg + 1]) : undefined;
const bigArg = args.indexOf('--big-mib');
const bigMiB = bigArg >= 0 ? Number(args[bigArg + 1]) : 512;
const onlyArg = args.indexOf('--only');
const onlyText = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const isSection = (s: string | undefined): s is OnlySection =>
  (ONLY_SECTIONS as readonly (string | undefined)[]).includes(s);
if (onlyText !== undefined && !isSection(onlyText)) {
  console.error(`--only takes: ${ONLY_SECTIONS.join(', ')}`);
  process.exit(2);
}
const only = isSection(onlyText) ? onlyText : undefined;
if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) {
  console.error('--rounds takes a positive whole number');
  process.exit(2);
}
if (!(Number.isInteger(bigMiB) && bigMiB > 0)) {
  console.error('--big-mib takes a positive whole number of MiB');
  process.exit(2);
}
if (budgetMin !== undefined && !(budgetMin >= 0)) {
  console.error('--budget-min takes minutes (0: no limit)');
  process.exit(2);
}

if (!process.env.SHOAL_BENCH_SKIP_BUILD) {
  const built = run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', BENCH_OUT_DIR], {
    ...process.env,
    TRACKER_PORT: String(BENCH_PORTS.tracker),
  });
  if (built !== 0) process.exit(built);
}

const isolated = runIsolated(
  ['npx', 'tsx', 'scripts/bench.ts', ...args],
  {
    ...process.env,
    SHOAL_BENCH_SKIP_BUILD: '1',
  },
  'benchmarking',
);
if (isolated !== null) process.exit(isolated);
process.exit(
  await runBench(makePlan(quick, rounds, budgetMin, only, bigMiB * 1024 * 1024), {
    profile: args.includes('--profile'),
    trace: args.includes('--trace'),
  }),
);
