// Bundles stock-uppy.ts into one script that defines `window.StockUppy` ({ Uppy, AwsS3 }), with the
// same vite the pages are built with, so the browser test loads the published packages unchanged.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export async function bundleStockUppy(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: fileURLToPath(new URL('./stock-uppy.ts', import.meta.url)), formats: ['iife'], name: 'StockUppy', fileName: 'stock-uppy' },
    },
  });
  const chunk = (Array.isArray(output) ? output : [output]).flatMap((result) => ('output' in result ? result.output : [])).find((file) => file.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error('vite produced no script for the stock client');
  return chunk.code;
}
