// A tracker in a process of its own (npm run tracker's entry), to be killed and started
// again as a real one would go down: every socket of it dies at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './peers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface TrackerProcess {
  readonly url: string;
  /** Kills it (SIGKILL): no goodbye to any tab. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tracker/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, TRACKER_PORT: String(port), TRACKER_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => {
      fail(new Error(`tracker exited with ${String(code)}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (/listening|ws:\/\//i.test(chunk.toString())) done(child);
    });
  });
}

export async function startTrackerProcess(port: number): Promise<TrackerProcess> {
  let child = await launch(port);
  return {
    url: `ws://localhost:${String(port)}`,
    kill: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          return;
        }
        child.removeAllListeners('exit');
        child.once('exit', () => {
          done();
        });
        child.kill('SIGKILL');
      }),
    restart: async () => {
      child = await launch(port);
    },
  };
}

/** Makes a page announce to `url` only (its settings, applied by a reload). */
export async function announceTo(page: Page, url: string): Promise<void> {
  await page.locator('shoal-settings summary').click();
  const field = page.getByRole('textbox', { name: /Trackers every torrent announces to/ });
  await field.fill(url);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/Saved\./)).toBeVisible();
  await page.reload();
}
