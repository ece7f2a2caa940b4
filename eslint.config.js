import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// src/core runs in Node, in the worker and in the browser: nothing UI- or platform-specific may enter it.
const coreRestrictions = {
  patterns: [
    { group: ['svelte', 'svelte/*'], message: 'src/core is pure TypeScript: no Svelte.' },
    { group: ['maplibre-gl', 'maplibre-gl/*', 'terra-draw', 'terra-draw-*'], message: 'src/core is pure: no map library.' },
    { group: ['node:*', 'fs', 'path', 'http', 'os', 'child_process'], message: 'src/core also runs in the browser: no Node modules.' },
    { group: ['dexie'], message: 'src/core is pure: persistence adapters live in src/state.' },
    { group: ['**/state/**', '**/ui/**', '**/map/**', '**/worker/**'], message: 'src/core may not depend on outer layers.' },
  ],
};

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'public/data/', '.cache/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Collections built inside $derived are replaced wholesale, never mutated: plain Map/Set are right there.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreRestrictions] },
  },
);
