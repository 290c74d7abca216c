// The built app served with one script added first in its <head>, which records every
// uncaught error and unhandled rejection of the page: classic WebDriver (WebKitGTK's) has no
// console or page-error events, and a listener injected after load would miss what goes
// wrong while the app starts. The script is a file of the app's origin (the app's
// Content-Security-Policy refuses inline scripts); what it records is kept in sessionStorage,
// so it outlives a reload of the tab. Everything else is the e2e build, byte for byte.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveDir } from './dir-server.ts';

const BUILD = resolve(import.meta.dirname, '../../../dist-e2e');
const TRAP_FILE = '__error-trap.js';
/** Where the page keeps what it recorded (sessionStorage), and marks the trap as loaded. */
export const TRAP_KEY = 'shoal-test-errors';

// Runs in the page before any of the app's scripts.
const TRAP_SOURCE = `(() => {
  const key = ${JSON.stringify(TRAP_KEY)};
  const keep = (text) => {
    const list = JSON.parse(sessionStorage.getItem(key) ?? '[]');
    list.push(text);
    sessionStorage.setItem(key, JSON.stringify(list));
  };
  if (sessionStorage.getItem(key) === null) sessionStorage.setItem(key, '[]');
  addEventListener('error', (e) =>
    keep('error: ' + e.message + ' at ' + (e.filename || '?') + ':' + e.lineno));
  addEventListener('unhandledrejection', (e) =>
    keep('unhandled rejection: ' + String(e.reason) + (e.reason && e.reason.stack ? ' at ' + e.reason.stack : '')));
})();
`;

export interface TrappedApp {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves a copy of the e2e build with the error trap on `port` of localhost. */
export async function serveAppWithErrorTrap(port: number): Promise<TrappedApp> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-trapped-app-'));
  cpSync(BUILD, dir, { recursive: true });
  const index = join(dir, 'index.html');
  const html = readFileSync(index, 'utf8');
  const tag = `<script src="/${TRAP_FILE}"></script>`;
  // First after the Content-Security-Policy <meta>, so it runs before the app's module.
  const withTrap = html.replace(/(<meta http-equiv="Content-Security-Policy"[^>]*>)/, `$1${tag}`);
  if (withTrap === html) throw new Error('dist-e2e/index.html has no CSP <meta> to follow');
  writeFileSync(index, withTrap);
  writeFileSync(join(dir, TRAP_FILE), TRAP_SOURCE);
  const server: Server = await serveDir(dir, port);
  return {
    origin: `http://localhost:${String(port)}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
