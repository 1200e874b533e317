// The admin Lambda's collaborators, built once from explicit dependencies (tests pass mocked clients).
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { AuditLog } from './audit-log.js';
import { Auditor } from './auditor.js';
import { CustomerLogins } from './customer-logins.js';
import { EndpointFiles } from './endpoint-files.js';
import { EndpointStore } from './endpoint-store.js';
import { FileBrowser } from './file-browser.js';
import type { CognitoSender } from './lazy-cognito.js';
import { malwareScanOf, type AdminSettings } from './settings.js';

export interface AdminServices {
  settings: AdminSettings;
  store: EndpointStore;
  endpointFiles: EndpointFiles;
  logins: CustomerLogins;
  browser: FileBrowser;
  auditLog: AuditLog;
  auditor: Auditor;
  logger: Logger;
  /** The file catalog: read by the browser and the endpoint detail, written only by reconcile. */
  catalog: CatalogDb;
  s3: S3Client;
}

export function createServices(deps: {
  settings: AdminSettings;
  s3: S3Client;
  cognito: CognitoSender;
  catalog: CatalogDb;
  logger: Logger;
  newId: () => string;
  /** @default the system clock */
  now?: () => Date;
}): AdminServices {
  const { settings, s3, cognito, logger, catalog } = deps;
  const auditLog = new AuditLog(s3, settings.bucket, logger);
  return {
    settings,
    store: new EndpointStore(s3, settings.bucket),
    endpointFiles: new EndpointFiles(s3, settings.bucket),
    logins: new CustomerLogins(cognito, settings),
    browser: new FileBrowser(s3, settings.bucket, catalog, malwareScanOf(settings)),
    auditLog,
    auditor: new Auditor(auditLog, logger, deps.newId, deps.now),
    logger,
    catalog,
    s3,
  };
}
