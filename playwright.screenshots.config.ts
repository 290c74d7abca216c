// `npm run screenshots`: the README's and the manifest's screenshots, taken of the built app
// (test/e2e/screenshots.shots.ts) with the e2e suite's servers. Not part of `npm test`.
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

export default defineConfig({ ...base, testMatch: '**/*.shots.ts' });
