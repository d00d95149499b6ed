// The auditor's verifier page (docs/verification.md): ONE self-contained
// HTML file, opened from disk with no network and nothing installed. Vite
// bundles src/verifier/ (and the ballot library, @noble/curves) into one
// script; `inlineEverything` then writes it into the page itself, so
// ui/dist-verifier/verifier.html is the only file. `npm run build:verifier`
// also copies it to src-tauri/core/assets/verifier.html, which every archive
// carries (a test checks the copy is current).
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Inlines the bundle's one script (and any CSS) into the HTML, and drops the files. */
function inlineEverything(): Plugin {
  return {
    name: 'conclave-inline-verifier',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('.html'));
      if (!html || html.type !== 'asset') throw new Error('verifier.html not in the bundle');
      let text = String(html.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === 'chunk') {
          // `</script` inside the code would end the element early.
          const code = file.code.replace(/<\/script/gi, '<\\/script');
          const tag = new RegExp(`<script[^>]*src="[^"]*${escape(file.fileName)}"[^>]*></script>`);
          if (!tag.test(text)) throw new Error(`no script tag for ${file.fileName}`);
          text = text.replace(tag, () => `<script type="module">${code}</script>`);
          delete bundle[name];
        } else if (file.fileName.endsWith('.css')) {
          const tag = new RegExp(`<link[^>]*href="[^"]*${escape(file.fileName)}"[^>]*>`);
          text = text.replace(tag, () => `<style>${String(file.source)}</style>`);
          delete bundle[name];
        }
      }
      html.source = text;
    },
    closeBundle() {
      const from = fileURLToPath(new URL('dist-verifier/verifier.html', import.meta.url));
      const to = fileURLToPath(new URL('../src-tauri/core/assets/verifier.html', import.meta.url));
      if (process.env.CONCLAVE_VERIFIER_COPY !== '0') copyFileSync(from, to);
    },
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default defineConfig({
  plugins: [inlineEverything()],
  clearScreen: false,
  // Relative paths: the page is opened from file://, not served.
  base: './',
  build: {
    target: 'es2022',
    outDir: 'dist-verifier',
    emptyOutDir: true,
    modulePreload: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: 'verifier.html' },
  },
});
