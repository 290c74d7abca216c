import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const trackerPort = Number(process.env.TRACKER_PORT ?? 8000);

export default defineConfig({
  resolve: {
    // parse-torrent (webtorrent's own parser) joins paths with Node's `path`.
    alias: { path: 'path-browserify' },
  },
  define: {
    __SHOAL_LOCAL_TRACKER_PORT__: JSON.stringify(trackerPort),
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
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'Shoal',
        short_name: 'Shoal',
        description: 'A BitTorrent client in your browser tab.',
        theme_color: '#0b6bcb',
        background_color: '#111418',
        display: 'standalone',
        start_url: '/',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      // `npm start` runs the same worker (streaming included), unbundled, as a module.
      devOptions: { enabled: true, type: 'module' },
    }),
  ],
});
