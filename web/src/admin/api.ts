// The admin API (issue 4) as typed calls. Shapes come from lambdas/admin/api-types.ts (type-only).
import type {
  AddLoginRequest,
  AuditPage,
  CreateEndpointRequest,
  CreateEndpointResult,
  DeleteEndpointRequest,
  DeleteEndpointResult,
  EndpointDetail,
  EndpointList,
  EndpointSummary,
  FileListing,
  LoginCredentials,
  PatchEndpointRequest,
  ShareRequest,
  ShareResult,
} from '../../../contract/api/admin.js';
import { api } from '../shared/api-client.js';

const BASE = '/admin/api';
const enc = encodeURIComponent;

export const adminApi = {
  listEndpoints: (query: { q?: string; continuationToken?: string | null; pageSize?: number }) => api.get<EndpointList>(`${BASE}/endpoints`, { query }),
  getEndpoint: (name: string) => api.get<EndpointDetail>(`${BASE}/endpoints/${enc(name)}`),
  createEndpoint: (body: CreateEndpointRequest) => api.post<CreateEndpointResult>(`${BASE}/endpoints`, body),
  patchEndpoint: (name: string, body: PatchEndpointRequest) => api.patch<EndpointSummary>(`${BASE}/endpoints/${enc(name)}`, body),
  deleteEndpoint: (name: string, body: DeleteEndpointRequest) => api.delete<DeleteEndpointResult>(`${BASE}/endpoints/${enc(name)}`, body),
  addLogin: (name: string, body: AddLoginRequest) => api.post<LoginCredentials>(`${BASE}/endpoints/${enc(name)}/logins`, body),
  removeLogin: (name: string, username: string) => api.delete<void>(`${BASE}/endpoints/${enc(name)}/logins/${enc(username)}`),
  resetPassword: (name: string, username: string) => api.post<LoginCredentials>(`${BASE}/endpoints/${enc(name)}/logins/${enc(username)}/reset-password`, {}),
  listFiles: (query: { endpoint?: string; prefix?: string; continuationToken?: string | null; pageSize?: number }) => api.get<FileListing>(`${BASE}/files`, { query }),
  deleteFile: (key: string) => api.delete<void>(`${BASE}/files?key=${enc(key)}`),
  shareFile: (body: ShareRequest) => api.post<ShareResult>(`${BASE}/files/share`, body),
  listAudit: (query: { endpoint?: string; from?: string; to?: string; continuationToken?: string | null; pageSize?: number }) => api.get<AuditPage>(`${BASE}/audit`, { query }),
};

/** A plain link (a navigation, not fetch): the API answers 302 to a short-lived S3 URL. */
export const downloadHref = (key: string) => `${BASE}/files/download?key=${enc(key)}`;
