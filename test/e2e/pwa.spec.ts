import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { BROWSER_ARGS, browserPath } from '../../scripts/browser.js';
import { serveDir } from './support/dir-server.ts';
import { randomFixture } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';

const root = resolve(import.meta.dirname, '../..');
const KiB = 1024;

/** Waits until our service worker controls the page (it claims clients on first install). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** What a phone's share sheet does: a multipart POST of files and text to the share target. */
async function postShare(page: Page, share: { files?: string[]; text?: string }): Promise<void> {
  await page.evaluate((text) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = '/share-target';
    form.enctype = 'multipart/form-data';
    const files = Object.assign(document.createElement('input'), {
      type: 'file',
      name: 'files',
      multiple: true,
      id: 'share-files',
    });
    const field = Object.assign(document.createElement('input'), {
      type: 'hidden',
      name: 'text',
      value: text,
    });
    form.append(files, field);
    form.id = 'share-form';
    document.body.append(form);
  }, share.text ?? '');
  if (share.files) await page.setInputFiles('#share-files', share.files);
  await Promise.all([
    page.waitForURL((url) => url.searchParams.has('share') || url.pathname === '/'),
    page.evaluate(() => {
      document.querySelector<HTMLFormElement>('#share-form')?.submit();
    }),
  ]);
}

/** SHA-256 of a file as the app holds it, read back through its own store. */
function appFileSha256(page: Page, infoHash: string, path: string): Promise<string> {
  return page.evaluate(
    async ([hash, filePath]) => {
      const shoal = (
        window as unknown as {
          shoal: {
            store: { file(h: string, p: string): { stream(): ReadableStream<Uint8Array> } };
          };
        }
      ).shoal;
      const bytes = await new Response(shoal.store.file(hash, filePath).stream()).arrayBuffer();
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
    [infoHash, path] as const,
  );
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

test('the built manifest is complete, Chromium finds the app installable, and every image loads at its size', async () => {
  // Chromium never offers to install from an incognito-like context: use a real profile.
  const profile = mkdtempSync(join(tmpdir(), 'shoal-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath(),
    args: BROWSER_ARGS,
  });
  try {
    const page = await context.newPage();
    await page.goto(appUrl());
    await controlled(page);
    await checkManifest(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

async function checkManifest(page: Page): Promise<void> {
  const response = await page.request.get(`${APP_ORIGIN}/manifest.webmanifest`);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as Record<string, unknown> & {
    icons: ManifestIcon[];
    screenshots: (ManifestIcon & { form_factor: string; label: string })[];
  };
  expect(manifest).toMatchObject({
    id: '/',
    name: 'Shoal',
    short_name: 'Shoal',
    display: 'standalone',
    start_url: '/',
    scope: '/',
    theme_color: '#0b6bcb',
    background_color: '#111418',
    protocol_handlers: [{ protocol: 'magnet', url: '/?magnet=%s' }],
    launch_handler: { client_mode: ['focus-existing', 'auto'] },
    file_handlers: [{ action: '/', accept: { 'application/x-bittorrent': ['.torrent'] } }],
    share_target: {
      action: '/share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { files: [{ name: 'files', accept: ['*/*'] }] },
    },
  });
  expect(String(manifest.description).length).toBeGreaterThan(20);
  const purposeOf = (icon: ManifestIcon) => icon.purpose ?? 'any';
  for (const size of ['192x192', '512x512']) {
    for (const purpose of ['any', 'maskable']) {
      expect(
        manifest.icons.some((i) => i.sizes === size && purposeOf(i) === purpose),
        `${purpose} icon ${size}`,
      ).toBe(true);
    }
  }
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);

  // Each image decodes at the size the manifest claims.
  const images = [...manifest.icons, ...manifest.screenshots];
  const decoded = await page.evaluate(async (list) => {
    return Promise.all(
      list.map(async ({ src }) => {
        const blob = await (await fetch(new URL(src, location.origin))).blob();
        const bitmap = await createImageBitmap(blob);
        return `${String(bitmap.width)}x${String(bitmap.height)}`;
      }),
    );
  }, images);
  expect(decoded).toEqual(images.map((i) => i.sizes));

  // Chromium's own reading of it: no manifest errors, nothing that stops installation.
  const cdp = await page.context().newCDPSession(page);
  const parsed = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
  expect(parsed.errors).toEqual([]);
  const installability = await cdp.send('Page.getInstallabilityErrors');
  expect(installability.installabilityErrors).toEqual([]);
}

test('after one visit the app loads offline, lists what it holds, and says new downloads wait', async ({
  newPeer,
}) => {
  const fixture = randomFixture('pwa-offline-300KiB.bin', 300 * KiB);
  const page = await newPeer(appUrl());
  await controlled(page);
  await seedThroughUi(page, fixture.path);
  // Let the debounced write of its state land before going offline.
  await page.waitForTimeout(1200);

  await page.context().setOffline(true);
  await page.reload();
  await expect(row(page, fixture.name).locator('.state')).toHaveText('Seeding');
  // Chromium 150 leaves `navigator.onLine` true in a document loaded under Playwright's
  // offline emulation (the load itself was offline: the row above came from the worker's
  // cache and IndexedDB). Emulating the loss again is what a user's dropped network does
  // to a loaded page: the 'offline' event.
  if (await page.evaluate(() => navigator.onLine)) {
    await page.context().setOffline(false);
    await page.context().setOffline(true);
  }
  await expect(page.locator('shoal-pwa-bar .offline')).toContainText('You are offline');
  // It still reads what it holds.
  const infoHash = await page.evaluate(
    () =>
      (window as unknown as { shoal: { store: { state: { torrents: { infoHash: string }[] } } } })
        .shoal.store.state.torrents[0]?.infoHash ?? '',
  );
  expect(await appFileSha256(page, infoHash, fixture.name)).toBe(fixture.sha256);

  await page.context().setOffline(false);
  await expect(page.locator('shoal-pwa-bar .offline')).toHaveCount(0);
});

test('files shared into the app (share target POST) are seeded with a magnet and QR code, and another browser downloads them', async ({
  newPeer,
}) => {
  const photos = [
    randomFixture('IMG_2041.jpg', 700 * KiB),
    randomFixture('IMG_2042.jpg', 450 * KiB),
  ];
  const phone = await newPeer(appUrl());
  await controlled(phone);
  await postShare(phone, { files: photos.map((p) => p.path) });

  const card = phone.locator('shoal-share-card');
  await expect(card.locator('h2')).toContainText('Ready to share');
  const magnet = await card.locator('#share-magnet').inputValue();
  const link = await card.locator('#share-link').inputValue();
  expect(new URL(link).searchParams.get('magnet')).toBe(magnet);
  await expect(card.locator('img[alt^="QR code"]')).toBeVisible();
  // The address no longer carries the share, so a reload does not repeat it.
  expect(new URL(phone.url()).searchParams.has('share')).toBe(false);

  const infoHash = /xt=urn:btih:([0-9a-f]{40})/i.exec(magnet)?.[1]?.toLowerCase() ?? '';
  expect(infoHash).toMatch(/^[0-9a-f]{40}$/);
  // The share inbox is emptied once the files are seeded.
  await expect
    .poll(() =>
      phone.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('shoal-share-inbox');
            open.onsuccess = () => {
              const count = open.result.transaction('shares').objectStore('shares').count();
              count.onsuccess = () => {
                resolve(count.result);
                open.result.close();
              };
            };
          }),
      ),
    )
    .toBe(0);

  const friend = await newPeer(link);
  const torrentName = await row(friend, '').first().locator('button.name').textContent();
  await expect(row(friend, torrentName ?? '').locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
  const files = await friend.evaluate(
    (hash) =>
      (
        window as unknown as {
          shoal: {
            store: {
              state: { torrents: { infoHash: string; files: { path: string; name: string }[] }[] };
            };
          };
        }
      ).shoal.store.state.torrents.find((t) => t.infoHash === hash)?.files ?? [],
    infoHash,
  );
  expect(files.map((f) => f.name).sort()).toEqual(photos.map((p) => p.name).sort());
  for (const photo of photos) {
    const path = files.find((f) => f.name === photo.name)?.path ?? '';
    expect(await appFileSha256(friend, infoHash, path)).toBe(photo.sha256);
  }
});

test('text shared into the app that carries a magnet link opens that torrent', async ({
  newPeer,
}) => {
  const fixture = randomFixture('pwa-shared-link-200KiB.bin', 200 * KiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);

  const viewer = await newPeer(appUrl());
  await controlled(viewer);
  await postShare(viewer, { text: `Have a listen\n${magnet}` });
  await expect(row(viewer, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
});

test('a new version waits for the user: the prompt appears, nothing reloads until "Reload now"', async ({
  browser,
}) => {
  const copy = mkdtempSync(join(tmpdir(), 'shoal-update-'));
  cpSync(join(root, 'dist-e2e'), copy, { recursive: true });
  const port = 4191;
  const server = await serveDir(copy, port);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://localhost:${String(port)}/`);
    await controlled(page);
    await page.evaluate(() => {
      (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
    });

    // Publish a new worker and let the browser look for it (as it does on navigation).
    const sw = join(copy, 'sw.js');
    writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// next release\n`);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = page.locator('shoal-pwa-bar .update');
    await expect(prompt).toContainText('A new version of Shoal is ready');
    expect(
      await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate),
      'the page was not reloaded behind the user',
    ).toBe(true);

    await Promise.all([
      page.waitForEvent('framenavigated'),
      prompt.getByRole('button', { name: 'Reload now' }).click(),
    ]);
    await controlled(page);
    await expect(page.locator('shoal-app')).toBeVisible();
    expect(
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {
          waiting: registration?.waiting ?? null,
          reloaded: !(window as unknown as { beforeUpdate?: boolean }).beforeUpdate,
        };
      }),
    ).toEqual({ waiting: null, reloaded: true });
    await expect(prompt).toHaveCount(0);
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a completed download raises a notification when the user allowed them', async ({
  newPeer,
}) => {
  const fixture = randomFixture('pwa-notify-300KiB.bin', 300 * KiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const leecher = await newPeer(appUrl());
  await leecher.context().grantPermissions(['notifications'], { origin: APP_ORIGIN });
  await controlled(leecher);
  await leecher.goto(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await expect(row(leecher, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
  await expect
    .poll(() =>
      leecher.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        const shown = (await registration?.getNotifications()) ?? [];
        return shown.map((n) => `${n.title}: ${n.body}`);
      }),
    )
    .toEqual([
      `Download complete: ${fixture.name} is ready, and shared with others while Shoal is open.`,
    ]);
});

test('phone layout at 360×740: no sideways scroll, touch targets of 44 px', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  });
  try {
    await context.grantPermissions(['camera', 'microphone'], { origin: APP_ORIGIN });
    const page = await context.newPage();
    await page.goto(appUrl());
    await controlled(page);
    const album = randomFixture('Holiday album.jpg', 320 * KiB);
    await seedThroughUi(page, album.path);
    await expect(page.locator('shoal-share-card img')).toBeVisible();
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    // Every visible button, in every shadow root, is at least 44×44 CSS px.
    const small = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (node: Document | ShadowRoot) => {
        for (const el of node.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (el instanceof HTMLButtonElement || el.getAttribute('role') === 'button') {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && (box.width < 44 || box.height < 44))
              found.push(`${el.textContent.trim()} ${String(box.width)}×${String(box.height)}`);
          }
        }
      };
      walk(document);
      return found;
    });
    expect(small).toEqual([]);
  } finally {
    await context.close();
  }
});
