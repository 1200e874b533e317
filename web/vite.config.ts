// Builds the customer page (/) and the admin console (/admin) into dist/web, plus the
// unauthenticated signed-out page (static/, copied as-is). Run: npx vite build --config web/vite.config.ts
// (a CDK synth runs the same build with --outDir pointing into the web Lambda's bundle).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { albReadyOutput } from './build/alb-ready-output.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = resolve(root, '../dist/web');

export default defineConfig({
  root,
  base: '/',
  publicDir: resolve(root, 'static'),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // No polyfill: every browser that runs Uppy 5 supports module preload.
    modulePreload: { polyfill: false },
    // Nothing is inlined as a data: URL (keeps CSP and caching simple).
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        customer: resolve(root, 'index.html'),
        admin: resolve(root, 'admin/index.html'),
      },
      output: {
        // Name the chunks by what they hold: Preact plus the helpers both pages use, and Uppy with
        // the upload widget (loaded up front by the customer page, on demand by the console).
        manualChunks(id: string) {
          if (/node_modules[\\/]@uppy[\\/]|web[\\/]src[\\/]shared[\\/](uploader|uploader-panel|part-url-batcher|s3-protocol|progress-meter|stored-part-check|file-handles?|file-handle-store|uppy-listeners|hashing[\\/])/.test(id)) return 'uploader';
          if (/node_modules[\\/]preact[\\/]|web[\\/]src[\\/]shared[\\/]/.test(id)) return 'common';
          return undefined;
        },
      },
    },
  },
  experimental: {
    // The ALB authenticates /assets/* as customer pages and /admin/* as console pages, so the
    // console must load the shared build output through /admin/assets/ (the web Lambda serves
    // both). Between chunks and from CSS, URLs are relative, so each page stays on its own prefix.
    renderBuiltUrl(filename, { hostType, hostId }) {
      if (hostType === 'html') return hostId.replace(/\\/g, '/').includes('admin/') ? `/admin/${filename}` : `/${filename}`;
      return { relative: true };
    },
  },
  // The checksum worker (web/src/shared/hashing/hash-worker.ts) is an ES module: it imports hash-wasm
  // like the pages import their chunks, and is bundled into a file of its own under assets/.
  worker: { format: 'es' },
  plugins: [albReadyOutput()],
});
