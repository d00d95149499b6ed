// The verifier page every archive carries is src-tauri/core/assets/verifier.html,
// committed so the Rust core builds without Node. Built afresh from
// src/verifier/ it must be byte for byte the committed copy: after a change
// here, run `npm run build:verifier` and commit the copy.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { expect, test } from 'vitest';

test('the committed verifier.html is the page built from src/verifier', async () => {
  const ui = fileURLToPath(new URL('../../', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'conclave-verifier-'));
  process.env.CONCLAVE_VERIFIER_COPY = '0';
  await build({ root: ui, configFile: join(ui, 'vite.verifier.config.ts'), logLevel: 'silent', build: { outDir: out } });
  const built = readFileSync(join(out, 'verifier.html'), 'utf8');
  const committed = readFileSync(join(ui, '../src-tauri/core/assets/verifier.html'), 'utf8');
  expect(built.length, 'one self-contained page').toBeGreaterThan(10000);
  expect(built === committed, 'src-tauri/core/assets/verifier.html is stale: run npm run build:verifier').toBe(true);
}, 60000);
