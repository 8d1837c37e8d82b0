import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is plain static files served by the API process itself (same origin, so the
 * session cookie and CSRF header need no CORS), and it must work offline: no CDN, no fonts.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The password-strength dictionaries are one large lazy chunk, loaded only with the
    // Password field; the warning would flag it on every build.
    chunkSizeWarningLimit: 2500,
  },
});
