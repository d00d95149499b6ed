import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app runs offline inside Tauri: everything is bundled, nothing fetched.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true },
  server: { port: 5173, strictPort: true },
  test: { include: ['src/**/*.test.ts'] },
});
