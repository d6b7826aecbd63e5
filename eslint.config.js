// Lint rules that keep the layering honest: renderer -> shared <- main.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'tls', 'crypto', 'child_process', 'stream', 'stream/*', 'events', 'url', 'util', 'http', 'https', 'zlib', 'buffer'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-output/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^\\.\\./\\.\\./', message: 'shared/ imports nothing outside itself.' },
          { regex: '^(?!\\.{1,2}/)', message: 'shared/ is pure TypeScript: no packages, no node:*, no electron.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to main only through window.ferry.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node modules.' },
          { group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer may import shared/, never main/.' },
        ],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/electron/**', 'main/preload/**', 'main/ipc/register-ipc.ts', 'main/trust/safe-storage-secrets.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only the Electron entry, IPC registration, preload and safeStorage glue may import electron; the core runs in plain Node.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }],
      }],
    },
  },
);
