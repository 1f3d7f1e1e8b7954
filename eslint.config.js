// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'bench/results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', fetch: 'readonly', crypto: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // protocol and client run in browsers too: no Node built-ins, no Buffer
    files: ['packages/protocol/src/**/*.ts', 'packages/client/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'path', 'crypto', 'net', 'http', 'ws'].map((name) => ({ name, message: 'protocol and client are isomorphic: no Node built-ins' })),
        patterns: [{ group: ['node:*'], message: 'protocol and client are isomorphic: no Node built-ins' }],
      }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'use Uint8Array' }, { name: 'process', message: 'no process in isomorphic code' }],
    },
  },
  {
    // the server must never depend on the client (it relays, it does not take part in sessions)
    files: ['packages/server/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@fernhilfe/client', '@fernhilfe/client/*'], message: 'the server never holds a session key' }] }] },
  },
);
