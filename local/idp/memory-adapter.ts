// In-memory storage for oidc-provider (sessions, codes, tokens, grants). IdP state is meant to be
// short-lived locally: a restart signs everyone out of the IdPs, while the portal's own session
// cookies (sealed with a saved key) stay valid. Written here rather than using the library's
// development adapter, which warns on every start.
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export function createMemoryAdapterFactory(): (name: string) => Adapter {
  const stores = new Map<string, Map<string, Entry>>();
  // Secondary indexes are shared: uid and userCode lookups are per model, grant revocation crosses models.
  const grants = new Map<string, Set<string>>();

  return (name: string): Adapter => {
    let store = stores.get(name);
    if (!store) stores.set(name, (store = new Map<string, Entry>()));
    const live = (id: string): AdapterPayload | undefined => {
      const entry = store.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        store.delete(id);
        return undefined;
      }
      return entry.payload;
    };
    const key = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
        if (payload.grantId) {
          let set = grants.get(payload.grantId);
          if (!set) grants.set(payload.grantId, (set = new Set()));
          set.add(key(id));
        }
      },
      async find(id) {
        return live(id);
      },
      async findByUid(uid) {
        for (const [id, entry] of store) if (entry.payload.uid === uid) return live(id);
        return undefined;
      },
      async findByUserCode(userCode) {
        for (const [id, entry] of store) if (entry.payload.userCode === userCode) return live(id);
        return undefined;
      },
      async consume(id) {
        const entry = store.get(id);
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(id);
      },
      async revokeByGrantId(grantId) {
        for (const k of grants.get(grantId) ?? []) {
          const sep = k.indexOf(':');
          stores.get(k.slice(0, sep))?.delete(k.slice(sep + 1));
        }
        grants.delete(grantId);
      },
    };
  };
}
