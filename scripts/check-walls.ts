// Shows that each wall of the architecture (GUIDE §1, eslint.config.js) holds: ESLint is run
// on a deliberate crossing placed in each folder (never written to disk) and must report the
// wall's rule; a crossing that lints clean fails this check, and so `npm test`.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

interface Crossing {
  readonly what: string;
  readonly filePath: string;
  readonly code: string;
  readonly rule: string;
  /** Within the wall: the rule must not fire (the wall is no wider than it says). */
  readonly allowed?: boolean;
}

const crossings: readonly Crossing[] = [
  {
    what: 'the engine imports webtorrent outside swarm/',
    filePath: 'src/engine/streaming/wall-check.ts',
    code: "import WebTorrent from 'webtorrent/dist/webtorrent.min.js';\nexport const x = WebTorrent;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the engine imports a swarm/ internal instead of the port',
    filePath: 'src/engine/assist/wall-check.ts',
    code: "import { peerOf } from '../swarm/torrent.ts';\nexport const x = peerOf;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the engine reads a _private member outside swarm/',
    filePath: 'src/engine/streaming/wall-check.ts',
    code: 'export const x = (wt: { _selections: number }): number => wt._selections;\n',
    rule: 'no-restricted-syntax',
  },
  {
    what: 'the engine writes a _private member by name outside swarm/',
    filePath: 'src/engine/wall-check.ts',
    code: "export const x = (wt: Record<string, boolean>): void => {\n  wt['_hasStartupBitfield'] = true;\n};\n",
    rule: 'no-restricted-syntax',
  },
  {
    what: 'a torrent’s phase is changed outside its lifecycle’s owner',
    filePath: 'src/engine/wall-check.ts',
    code: 'export const x = (record: { life: object }): void => {\n  record.life = {};\n};\n',
    rule: 'no-restricted-syntax',
  },
  {
    what: 'the lifecycle’s owner changes a torrent’s phase',
    filePath: 'src/engine/torrent-life.ts',
    code: 'export const x = (record: { life: object }): void => {\n  record.life = {};\n};\n',
    rule: 'no-restricted-syntax',
    allowed: true,
  },
  {
    what: 'swarm/ reads webtorrent’s _private members',
    filePath: 'src/engine/swarm/wall-check.ts',
    code: 'export const x = (wt: { _selections: number }): number => wt._selections;\n',
    rule: 'no-restricted-syntax',
    allowed: true,
  },
  {
    what: 'a swarm/ patch loads webtorrent itself instead of through swarm/client.ts',
    filePath: 'src/engine/swarm/patches/wall-check.ts',
    code: "import WebTorrent from 'webtorrent/dist/webtorrent.min.js';\nexport const x = WebTorrent;\n",
    rule: '@typescript-eslint/no-restricted-imports',
  },
  {
    what: 'a swarm/ module reads webtorrent’s types',
    filePath: 'src/engine/swarm/wall-check.ts',
    code: "import type { WtTorrent } from 'webtorrent/dist/webtorrent.min.js';\nexport type X = WtTorrent;\n",
    rule: '@typescript-eslint/no-restricted-imports',
    allowed: true,
  },
  {
    what: 'the engine imports the swarm’s port',
    filePath: 'src/engine/assist/wall-check.ts',
    code: "import type { SwarmTorrent } from '../swarm/port.ts';\nexport type X = SwarmTorrent;\n",
    rule: 'no-restricted-imports',
    allowed: true,
  },
  {
    what: 'the UI imports webtorrent',
    filePath: 'src/ui/shoal-app/wall-check.ts',
    code: "import WebTorrent from 'webtorrent';\nexport const x = WebTorrent;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the UI imports an engine internal',
    filePath: 'src/ui/shoal-app/wall-check.ts',
    code: "import { OpfsChunkStore } from '../../engine/storage/opfs-chunk-store.ts';\nexport const x = OpfsChunkStore;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'a store module imports webtorrent',
    filePath: 'src/store/wall-check.ts',
    code: "import WebTorrent from 'webtorrent/dist/webtorrent.min.js';\nexport const x = WebTorrent;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the store imports the PWA layer',
    filePath: 'src/store/wall-check.ts',
    code: "import { SHARE_QUERY } from '../pwa/share-path.ts';\nexport const x = SHARE_QUERY;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the PWA layer imports the store',
    filePath: 'src/pwa/wall-check.ts',
    code: "import { AppStore } from '../store/app-store.ts';\nexport const x = AppStore;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'policy imports the store',
    filePath: 'src/engine/policy/wall-check.ts',
    code: "import { AppStore } from '../../store/app-store.ts';\nexport const x = AppStore;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'policy reads the clock',
    filePath: 'src/engine/policy/wall-check.ts',
    code: 'export const x = (): number => performance.now();\n',
    rule: 'no-restricted-globals',
  },
  {
    what: 'policy sets a timer',
    filePath: 'src/engine/policy/wall-check.ts',
    code: 'export const x = (f: () => void): unknown => setTimeout(f, 1);\n',
    rule: 'no-restricted-globals',
  },
  {
    what: 'policy draws its own random numbers',
    filePath: 'src/engine/policy/wall-check.ts',
    code: 'export const x = (): number => Math.random();\n',
    rule: 'no-restricted-properties',
  },
  {
    what: 'the service worker imports the engine',
    filePath: 'sw/wall-check.ts',
    code: "import { writeLag } from '../src/engine/storage/opfs-chunk-store.ts';\nexport const x = writeLag;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the service worker imports the store',
    filePath: 'sw/wall-check.ts',
    code: "import { AppStore } from '../src/store/app-store.ts';\nexport const x = AppStore;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the tracker imports the app',
    filePath: 'tracker/wall-check.ts',
    code: "import { AppStore } from '../src/store/app-store.ts';\nexport const x = AppStore;\n",
    rule: 'no-restricted-imports',
  },
  {
    what: 'the UI imports the engine’s public types',
    filePath: 'src/ui/shoal-app/wall-check.ts',
    code: "import type { TorrentSnapshot } from '../../engine/types.ts';\nexport type X = TorrentSnapshot;\n",
    rule: 'no-restricted-imports',
    allowed: true,
  },
  {
    what: 'policy takes the clock as an argument',
    filePath: 'src/engine/policy/wall-check.ts',
    code: 'export const x = (nowMs: number): number => nowMs + 1;\n',
    rule: 'no-restricted-globals',
    allowed: true,
  },
];

// The crossings are not on disk, so not in any TypeScript project: lint them without types
// (the walls are syntax rules).
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
let failed = 0;
for (const crossing of crossings) {
  const [result] = await eslint.lintText(crossing.code, { filePath: crossing.filePath });
  const hit = result?.messages.some((m) => m.ruleId === crossing.rule) ?? false;
  const ok = hit !== (crossing.allowed ?? false);
  const verdict = crossing.allowed ? 'allowed' : 'refused';
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${crossing.what}: ${verdict} (${crossing.filePath}: ${crossing.rule})`,
  );
  if (!ok) failed++;
}
console.log(`walls: ${String(crossings.length - failed)} passed, ${String(failed)} failed`);
process.exit(failed === 0 ? 0 : 1);
