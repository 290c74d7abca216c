import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The walls of the architecture (shared/GUIDE.md §1), enforced on every `npm test`. */
const wall = (message, ...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group, message })) }],
});

/** webtorrent's private members: read in src/engine/swarm/ only. */
const privateMembers = [
  {
    selector: 'MemberExpression[computed=false][property.name=/^_/]',
    message: 'A _private member is webtorrent’s: read it in src/engine/swarm/ only.',
  },
  {
    selector: 'MemberExpression[computed=true][property.value=/^_/]',
    message: 'A _private member is webtorrent’s: read it in src/engine/swarm/ only.',
  },
];

/** A torrent's phase changes in its lifecycle's one owner only (policy/lifecycle.ts). */
const lifeMoved = {
  selector: 'AssignmentExpression > MemberExpression.left[property.name="life"]',
  message: 'Only src/engine/torrent-life.ts moves a torrent through its lifecycle.',
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-e2e',
      'dist-bench',
      'bench/results',
      'dev-dist',
      'node_modules',
      'test-results',
      'playwright-report',
      '.cache',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['eslint.config.js', 'web-test-runner.config.js', 'test/vite-wtr-plugin.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts'],
    languageOptions: { globals: globals.browser },
    plugins: { lit, wc, 'lit-a11y': litA11y },
    rules: {
      ...lit.configs['flat/recommended'].rules,
      ...wc.configs['flat/recommended'].rules,
      ...litA11y.configs.recommended.rules,
    },
  },
  {
    files: [
      'tracker/**/*.ts',
      'scripts/**',
      'bench/**/*.ts',
      'test/e2e/**/*.ts',
      'test/*.js',
      '*.config.{ts,js}',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    // chai's assertions (with chai-a11y-axe) are typed as thenables, and oneEvent's detail as any.
    files: ['test/unit/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  // Only engine/swarm/ knows webtorrent: the rest of the app imports its port and its client.
  {
    files: ['src/**/*.ts', 'sw/**/*.ts'],
    ignores: ['src/engine/swarm/**'],
    rules: wall(
      'Only src/engine/swarm/ may import webtorrent; use its port (swarm/port.ts) and client.',
      ['webtorrent', 'webtorrent/*', '**/swarm/**', '!**/swarm/port.ts', '!**/swarm/client.ts'],
    ),
  },
  {
    // Inside swarm/, client.ts alone loads webtorrent's bundle; the rest reads its types.
    files: ['src/engine/swarm/**/*.ts'],
    ignores: ['src/engine/swarm/client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['webtorrent', 'webtorrent/*'],
              allowTypeImports: true,
              message:
                'Only swarm/client.ts loads webtorrent; import its types with `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    // webtorrent's private members (the service worker's `self.__WB_MANIFEST` is Workbox's),
    // and a torrent's lifecycle moved anywhere but in its one owner.
    files: ['src/**/*.ts'],
    ignores: ['src/engine/swarm/**', 'src/engine/torrent-life.ts'],
    rules: { 'no-restricted-syntax': ['error', ...privateMembers, lifeMoved] },
  },
  {
    files: ['src/engine/torrent-life.ts'],
    rules: { 'no-restricted-syntax': ['error', ...privateMembers] },
  },
  {
    files: ['src/engine/policy/**/*.ts'],
    rules: wall('Policy is pure: no webtorrent, swarm, DOM store, UI, storage or Workbox.', [
      'webtorrent',
      'webtorrent/*',
      '**/swarm/**',
      'lit',
      'lit/*',
      '**/ui/**',
      '**/store/**',
      'idb',
      'workbox-*',
      '../*.ts',
      '!../../config/*',
    ]),
  },
  {
    // Clock, timers and randomness come in as arguments, so every decision is a table test.
    files: ['src/engine/policy/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'performance',
          'setTimeout',
          'setInterval',
          'clearTimeout',
          'clearInterval',
          'requestIdleCallback',
          'requestAnimationFrame',
          'queueMicrotask',
        ].map((name) => ({
          name,
          message: 'Policy is pure: take the clock, timers and the page as arguments.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Policy takes its random source as an argument.',
        },
        { object: 'Date', property: 'now', message: 'Policy takes nowMs as an argument.' },
      ],
    },
  },
  {
    files: ['src/ui/**/*.ts'],
    rules: wall('UI talks to the store and sees only the engine’s public types.', [
      'webtorrent',
      'webtorrent/*',
      '**/engine/**',
      '!**/engine/types.ts',
      '!**/engine/mime.ts',
    ]),
  },
  {
    files: ['sw/**/*.ts'],
    rules: wall('The service worker must not import the UI, the engine, the store or webtorrent.', [
      '**/ui/**',
      '**/engine/**',
      '**/store/**',
      'webtorrent',
      'webtorrent/*',
      'lit',
      'lit/*',
    ]),
  },
  {
    files: ['tracker/**/*.ts'],
    rules: wall('The tracker is a Node program: it must not import the app.', ['**/src/**']),
  },
  // store/ and pwa/ never import each other: main.ts wires them, and what both need (the
  // launch addresses) is in src/launch/. These override the src/**/*.ts entry's rule for these
  // files, so its webtorrent and swarm/ patterns are repeated.
  {
    files: ['src/store/**/*.ts'],
    rules: wall(
      'The store must not import pwa/ (shared launch addresses are in src/launch/), nor webtorrent or swarm/ internals.',
      [
        '**/pwa/**',
        'webtorrent',
        'webtorrent/*',
        '**/swarm/**',
        '!**/swarm/port.ts',
        '!**/swarm/client.ts',
      ],
    ),
  },
  {
    files: ['src/pwa/**/*.ts'],
    rules: wall(
      'pwa/ must not import the store (shared launch addresses are in src/launch/), nor webtorrent or swarm/ internals.',
      [
        '**/store/**',
        'webtorrent',
        'webtorrent/*',
        '**/swarm/**',
        '!**/swarm/port.ts',
        '!**/swarm/client.ts',
      ],
    ),
  },
);
