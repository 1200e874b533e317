// cdk.json as the infra tests read it (the example config, the AZ context, the feature flags).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PortalConfigInput } from '../../infra/config.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CdkJson {
  app: string;
  context: Record<string, unknown> & { portal: PortalConfigInput };
}

export const readCdkJson = (): CdkJson => JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as CdkJson;
