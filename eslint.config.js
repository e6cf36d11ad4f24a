import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*'];
const NODE_BARE = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'net', 'http', 'https', 'url', 'events', 'stream', 'util', 'buffer'];

/** Which layer may import which (docs/architecture.md, Layers): main/cli → server → engines → store; shared everywhere. */
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(([group, message]) => ({ group, message })) }],
});
/** Bare built-in names must be matched exactly: as patterns, 'events' would also match './events'. */
const restrictWithBare = (bareMessage, ...patterns) => ({
  'no-restricted-imports': ['error', { paths: NODE_BARE.map((name) => ({ name, message: bareMessage })), patterns: patterns.map(([group, message]) => ({ group, message })) }],
});
const noElectron = ['electron', 'electron/*', '@electron/*'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/corpus/**', '.svelte-kit/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  // Type-aware rules for the TypeScript of the processes and shared/: a dropped promise hides its rejection.
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['test/unit/renderer/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // The renderer's unit tests are typed as the renderer is (DOM, no Node): tsconfig.web.json.
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte.ts', 'renderer/**/*.svelte', 'test/unit/renderer/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  // No import cycles: a cycle makes module initialisation order matter and hides a missing leaf module.
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['./tsconfig.json', './tsconfig.web.json'], noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // IPC is registered in one place, where every channel's sender and payload are checked.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'ipcMain is used only in electron/main/ipc.ts (the checked IPC router)' },
        { selector: "MemberExpression[property.name='ipcMain']", message: 'ipcMain is used only in electron/main/ipc.ts (the checked IPC router)' },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrictWithBare(
      'shared/ runs in the browser too: no Node built-ins',
      [noElectron, 'shared/ runs in every process: no Electron'],
      [NODE_BUILTINS, 'shared/ runs in the browser too: no Node built-ins'],
      [['**/electron/**', '**/renderer/**'], 'shared/ imports nothing from the processes'],
    ),
  },
  {
    files: ['electron/store/**/*.ts'],
    rules: restrict(
      [noElectron, 'store/ runs under plain Node: no Electron'],
      [['**/engines/**', '**/server/**', '**/main/**', '**/preload/**', '**/cli'], 'store/ is the bottom layer'],
    ),
  },
  {
    files: ['electron/engines/**/*.ts'],
    rules: restrict(
      [noElectron, 'engines/ run under plain Node: no Electron'],
      [['**/server/**', '**/main/**', '**/preload/**', '**/cli'], 'engines/ never import upward (publish on the bus instead)'],
    ),
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli.ts'],
    rules: restrict([noElectron, 'server/ and the CLI run under plain Node: no Electron'], [['**/main/**', '**/preload/**'], 'server/ never imports the Electron shell']),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict([['**/server/**', '**/engines/**', '**/store/**', '**/main/**'], 'preload/ only bridges IPC']),
  },
  {
    files: ['renderer/**/*.{ts,svelte}', 'renderer/**/*.svelte.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrictWithBare(
      'the renderer runs in a browser sandbox: no Node built-ins',
      [noElectron, 'the renderer reaches the main process only through window.zenflow (preload)'],
      [NODE_BUILTINS, 'the renderer runs in a browser sandbox: no Node built-ins'],
      [['**/electron/**'], 'the renderer talks to the server only through the client SDK in shared/'],
    ),
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{js,mjs,ts}'],
    rules: { 'no-console': 'off' },
  },
);
