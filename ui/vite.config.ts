import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// pdf.js needs its CMaps (Chinese PDFs with predefined encodings), standard
// font data and image-decoder wasm at run time; they ship with the app.
function pdfjsAssets(): Plugin {
  const from = (dir: string) => fileURLToPath(new URL(`node_modules/pdfjs-dist/${dir}/`, import.meta.url));
  return {
    name: 'conclave-pdfjs-assets',
    apply: 'build',
    writeBundle(options) {
      for (const dir of ['cmaps', 'standard_fonts', 'wasm']) {
        cpSync(from(dir), `${options.dir}/pdfjs/${dir}/`, { recursive: true });
      }
    },
  };
}

// The app runs offline inside Tauri: everything is bundled, nothing fetched.
export default defineConfig({
  plugins: [svelte(), pdfjsAssets()],
  clearScreen: false,
  // One local bundle; pdf.js is large and that is fine offline.
  // Two entries: the window (index.html) and the members' terminals
  // (terminal.html, served by the meeting-room server), sharing components.
  build: {
    target: 'safari15',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { main: 'index.html', terminal: 'terminal.html' } },
  },
  server: { port: 5173, strictPort: true },
  test: { include: ['src/**/*.test.ts'] },
});
