// App icons, generated at build time from the one SVG source (public/icon.svg) by
// vite-plugin-pwa's assets generator: "any" icons 64/192/512, maskable 192/512 on the theme
// colour with the safe-zone padding, an Apple touch icon, and favicon.ico.
import { defineConfig } from '@vite-pwa/assets-generator/config';

const theme = '#0b6bcb';

export default defineConfig({
  headLinkOptions: { preset: '2023' },
  preset: {
    transparent: { sizes: [64, 192, 512], favicons: [[48, 'favicon.ico']] },
    maskable: { sizes: [192, 512], resizeOptions: { background: theme } },
    apple: { sizes: [180], resizeOptions: { background: theme } },
  },
  images: ['public/icon.svg'],
});
