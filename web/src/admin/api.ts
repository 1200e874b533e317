// The admin API as typed calls: routes and shapes from contract/api/admin.ts.
import {
  ADMIN_ROUTES,
  type AddLoginRequest,
  type AuditPage,
  type CreateEndpointRequest,
  type CreateEndpointResult,
  type DeleteEndpointRequest,
  type DeleteEndpointResult,
  type EndpointDetail,
  type EndpointList,
  type EndpointSummary,
  type FileEntry,
  type FileListing,
  type LoginCredentials,
  type NotificationSettings,
  type NotificationSettingsResult,
  type PatchNotificationsRequest,
  type PatchEndpointRequest,
  type ReconcileRequest,
  type ReconcileResult,
  type ReleaseRequest,
  type ShareRequest,
  type ShareResult,
} from '../../../contract/api/admin.js';
import { routePath } from '../../../contract/api/route.js';
import { api, withQuery } from '../shared/api-client.js';

const R = ADMIN_ROUTES;

export const adminApi = {
  listEndpoints: (query: { q?: string; continuationToken?: string | null; pageSize?: number }) => api.get<EndpointList>(R.listEndpoints.path, { query }),
  getEndpoint: (name: string) => api.get<EndpointDetail>(routePath(R.getEndpoint, { name })),
  createEndpoint: (body: CreateEndpointRequest) => api.post<CreateEndpointResult>(R.createEndpoint.path, body),
  patchEndpoint: (name: string, body: PatchEndpointRequest) => api.patch<EndpointSummary>(routePath(R.patchEndpoint, { name }), body),
  deleteEndpoint: (name: string, body: DeleteEndpointRequest) => api.delete<DeleteEndpointResult>(routePath(R.deleteEndpoint, { name }), body),
  addLogin: (name: string, body: AddLoginRequest) => api.post<LoginCredentials>(routePath(R.addLogin, { name }), body),
  removeLogin: (name: string, username: string) => api.delete<void>(routePath(R.removeLogin, { name, username })),
  resetPassword: (name: string, username: string) => api.post<LoginCredentials>(routePath(R.resetPassword, { name, username }), {}),
  /** `query` from listingQuery() (file-sort.ts), plus the page token. */
  listFiles: (query: Record<string, string>, continuationToken: string | null) => api.get<FileListing>(R.listFiles.path, { query: { ...query, continuationToken } }),
  reconcileCatalog: (body: ReconcileRequest) => api.post<ReconcileResult>(R.reconcileCatalog.path, body),
  deleteFile: (key: string) => api.delete<void>(withQuery(R.deleteFile.path, { key })),
  shareFile: (body: ShareRequest) => api.post<ShareResult>(R.shareFile.path, body),
  getNotifications: (name: string) => api.get<NotificationSettings>(routePath(R.getNotifications, { name })),
  patchNotifications: (name: string, body: PatchNotificationsRequest) => api.patch<NotificationSettingsResult>(routePath(R.patchNotifications, { name }), body),
  rotateWebhookSecret: (name: string) => api.post<NotificationSettingsResult>(routePath(R.rotateWebhookSecret, { name }), {}),
  releaseFile: (body: ReleaseRequest) => api.post<FileEntry>(R.releaseFile.path, body),
  listAudit: (query: { endpoint?: string; from?: string; to?: string; continuationToken?: string | null; pageSize?: number }) => api.get<AuditPage>(R.listAudit.path, { query }),
};

/** A plain link (a navigation, not fetch): the API answers 302 to a short-lived S3 URL. */
export const downloadHref = (key: string) => withQuery(R.downloadFile.path, { key });
