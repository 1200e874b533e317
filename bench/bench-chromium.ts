// The bench's Chromium. Throughput runs use Chromium with its network service inside the browser
// process; one page run uses Chromium's default process model, reported next to it.
//
// Why: on this 2-core machine the local S3 server, Chromium and the harness share the CPU, and
// Chromium's own cost of moving a file's bytes dominates what the page adds. Measured here, XHR PUTs
// of 16 MiB file slices, 6 at a time, to a Node server that discards them: 7-9 s of Chromium CPU per
// GiB in the default model (browser process about 5 s, network service 2-2.8 s, page 0.2-1 s) and
// 4-5 s with the network service in-process (raw CDP without Playwright gave the same figures). The
// page's code is the same in both; the flag changes how Chromium copies bytes between its processes,
// which a customer's machine with free cores absorbs and which on two shared cores starves the S3
// server the page sends to. lib-storage's Node process has no such hop.
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';

export type ChromiumProcessModel = 'network-in-process' | 'default';

const PROCESS_MODEL_ARGS: Record<ChromiumProcessModel, string[]> = {
  'network-in-process': ['--enable-features=NetworkServiceInProcess2'],
  default: [],
};

export function launchBenchChromium(model: ChromiumProcessModel): Promise<Browser> {
  return launchChromium(PROCESS_MODEL_ARGS[model]);
}
