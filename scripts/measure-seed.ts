// Seed → magnet in the built app (dist-e2e), in a Chromium page: store.seed() on an
// in-memory File, as the bench does, against raw WebCrypto SHA-1 over the same pieces
// (sequential and all at once), and how long the background copy into OPFS takes after.
// Usage: npx vite build --outDir dist-e2e && npx tsx scripts/measure-seed.ts [MiB...]
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, browserPath } from './browser.js';

const PORT = 18950;
const sizesMiB = process.argv.slice(2).map(Number);
const rounds = Number(process.env.ROUNDS ?? 3);

interface Round {
  seedMs: number;
  copyMs: number;
  rawSeqMs: number;
  rawParallelMs: number;
  pieceLength: number;
}

const server = spawn(
  'npx',
  ['vite', 'preview', '--outDir', 'dist-e2e', '--port', String(PORT), '--strictPort'],
  { stdio: 'ignore' },
);
await new Promise((resolve) => setTimeout(resolve, 3000));
const browser = await chromium.launch({ executablePath: browserPath(), args: BROWSER_ARGS });
try {
  for (const sizeMiB of sizesMiB.length > 0 ? sizesMiB : [16, 128]) {
    const results: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://localhost:${String(PORT)}/`);
      await page.waitForFunction(() => 'shoal' in window);
      results.push(
        await page.evaluate(
          async (bytes) => {
            interface Store {
              seed(f: File[]): Promise<{ ok: boolean; infoHash?: string; message?: string }>;
              engine: {
                persisted(h: string): { unfinishedCopy?: unknown; bitfield: Uint8Array } | null;
                snapshots(): { infoHash: string; lengthBytes: number | null }[];
              };
            }
            const store = (window as unknown as { shoal: { store: Store } }).shoal.store;
            const data = new Uint8Array(bytes);
            for (let at = 0; at < bytes; at += 65536)
              crypto.getRandomValues(data.subarray(at, at + 65536));
            const file = new File([data], 'measure.bin');
            const start = performance.now();
            const result = await store.seed([file]);
            const seedMs = performance.now() - start;
            if (!result.ok || !result.infoHash) throw new Error(result.message);
            const infoHash = result.infoHash;
            while (store.engine.persisted(infoHash)?.unfinishedCopy !== undefined)
              await new Promise((resolve) => setTimeout(resolve, 20));
            const copyMs = performance.now() - start;
            const pieces = (store.engine.persisted(infoHash)?.bitfield.length ?? 0) * 8;
            const pieceLength = 2 ** Math.round(Math.log2(bytes / pieces));
            let t = performance.now();
            for (let at = 0; at < bytes; at += pieceLength)
              await crypto.subtle.digest('SHA-1', data.subarray(at, at + pieceLength));
            const rawSeqMs = performance.now() - t;
            t = performance.now();
            const all: Promise<ArrayBuffer>[] = [];
            for (let at = 0; at < bytes; at += pieceLength)
              all.push(crypto.subtle.digest('SHA-1', data.subarray(at, at + pieceLength)));
            await Promise.all(all);
            const rawParallelMs = performance.now() - t;
            return { seedMs, copyMs, rawSeqMs, rawParallelMs, pieceLength };
          },
          sizeMiB * 1024 * 1024,
        ),
      );
      await context.close();
    }
    const median = (key: keyof Round) =>
      [...results.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(results.length / 2)] ?? 0;
    console.log(
      `${String(sizeMiB)} MiB (${String(median('pieceLength') / 1024)} KiB pieces, ${String(rounds)} rounds, medians): ` +
        `seed → magnet ${median('seedMs').toFixed(0)} ms; copy into OPFS done ${median('copyMs').toFixed(0)} ms; ` +
        `raw SHA-1 sequential ${median('rawSeqMs').toFixed(0)} ms, all at once ${median('rawParallelMs').toFixed(0)} ms` +
        `\n  rounds: ${results.map((r) => r.seedMs.toFixed(0)).join(', ')} ms`,
    );
  }
} finally {
  await browser.close();
  server.kill();
}
