import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { SHARE_TARGET_PATH } from './src/pwa/share-path.ts';
import { contentSecurityPolicy } from './build/csp.ts';

const trackerPort = Number(process.env.TRACKER_PORT ?? 8000);

export default defineConfig({
  resolve: {
    // parse-torrent (webtorrent's own parser) joins paths with Node's `path`.
    alias: { path: 'path-browserify' },
  },
  define: {
    __SHOAL_LOCAL_TRACKER_PORT__: JSON.stringify(trackerPort),
  },
  optimizeDeps: {
    // The dev server scans these for dependencies before the first visit. The service worker
    // (served through Vite in dev) and the workers are not reached from index.html: a
    // dependency only they import was found while serving the first visit, and Vite
    // reloaded that page (scripts/check-first-visit.ts).
    entries: ['index.html', 'sw/sw.ts', 'src/**/*-worker.ts'],
  },
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
  },
  preview: {
    port: Number(process.env.PORT ?? 4173),
    strictPort: true,
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  plugins: [
    contentSecurityPolicy(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'Shoal',
        short_name: 'Shoal',
        description:
          'A BitTorrent client in your browser tab: stream films and music from other browsers, ' +
          'and share files as a magnet link and a QR code.',
        lang: 'en',
        dir: 'ltr',
        theme_color: '#0b6bcb',
        background_color: '#111418',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        categories: ['utilities', 'entertainment'],
        // Icons come from public/icon.svg (pwa-assets.config.ts).
        screenshots: [
          {
            src: '/screenshots/phone.png',
            sizes: '360x740',
            type: 'image/png',
            form_factor: 'narrow',
            label: 'Shoal on a phone: a shared photo album seeding, with its magnet link',
          },
          {
            src: '/screenshots/wide.png',
            sizes: '1280x800',
            type: 'image/png',
            form_factor: 'wide',
            label: 'Shoal on a desktop: torrents, transfer figures and a file list',
          },
        ],
        // magnet: links open Shoal (installed app); the page also offers
        // navigator.registerProtocolHandler for the browser itself.
        protocol_handlers: [{ protocol: 'magnet', url: '/?magnet=%s' }],
        // A second magnet or .torrent goes to the running window (launchQueue), which keeps
        // its transfers instead of opening another window or reloading.
        launch_handler: { client_mode: ['focus-existing', 'auto'] },
        file_handlers: [
          {
            action: '/',
            accept: { 'application/x-bittorrent': ['.torrent'] },
          },
        ],
        // Files shared from a phone are POSTed to the service worker (sw/share-target.ts).
        share_target: {
          action: SHARE_TARGET_PATH,
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            title: 'title',
            text: 'text',
            url: 'url',
            files: [{ name: 'files', accept: ['*/*'] }],
          },
        },
      },
      pwaAssets: { config: true, overrideManifestIcons: true, includeHtmlHeadLinks: true },
      injectManifest: {
        // vite-plugin-pwa adds the web manifest itself.
        globPatterns: ['**/*.{js,css,html,svg,png,ico}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      // `npm start` runs the same worker (streaming included), unbundled, as a module.
      devOptions: { enabled: true, type: 'module' },
    }),
  ],
});
