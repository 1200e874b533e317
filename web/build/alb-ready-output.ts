// Vite plugin: precompresses the build output and fails the build when a file would not fit in an ALB
// Lambda response. It works on the resolved output folder, so the check holds wherever the pages are
// built: dist/web (`npm run build:web`) or straight into the web Lambda's bundle during a CDK synth
// (`--outDir`, infra/web-pages.ts).
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { measureOutput, oversizedFiles, precompress } from './precompress.js';

export function albReadyOutput(): Plugin {
  let outDir: string | undefined;
  return {
    name: 'portal-alb-ready-output',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      handler() {
        if (!outDir) throw new Error('portal-alb-ready-output: the build configuration was never resolved');
        precompress(outDir);
        const tooBig = oversizedFiles(measureOutput(outDir));
        if (tooBig.length) {
          throw new Error(`These files exceed the ALB's 1 MB Lambda response limit once encoded: ${tooBig.map((f) => `${f.path} (${f.encodedBytes} bytes)`).join(', ')}`);
        }
      },
    },
  };
}
