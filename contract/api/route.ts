// One API route: its method and path template (`/api/s3/multipart/:uploadId`). The Lambdas' routers
// register the templates; the pages fill them in with `routePath`, so neither spells a path twice.

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiRoute<P extends string = string> {
  readonly method: HttpMethod;
  readonly path: P;
}

/** The `:name` parameters of a path template, as a type: `'/a/:id/:n'` -> `'id' | 'n'`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | PathParams<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;

/** The concrete path: each `:name` replaced by its URI-encoded value. */
export function routePath<P extends string>(route: ApiRoute<P>, params: Record<PathParams<P>, string | number>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String((params as Record<string, string | number>)[name])));
}
