import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app runs offline inside Tauri: everything is bundled, nothing fetched.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  // One local bundle; pdf.js is large and that is fine offline.
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { port: 5173, strictPort: true },
  test: { include: ['src/**/*.test.ts'] },
});
