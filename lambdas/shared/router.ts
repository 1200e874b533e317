// A tiny method + path-template router: `/api/s3/multipart/:uploadId/:partNumber`.
import { PortalError } from './errors.js';
import type { HttpRequest, HttpResponse } from './http.js';

export type RouteHandler<C> = (request: HttpRequest, params: Record<string, string>, context: C) => Promise<HttpResponse>;

interface CompiledRoute<C> {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler<C>;
}

export class Router<C> {
  private readonly routes: CompiledRoute<C>[] = [];

  /** Routes match in the order added, so put literal segments (`batch`) before parameters. */
  add(method: string, template: string, handler: RouteHandler<C>): this {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  async handle(request: HttpRequest, context: C): Promise<HttpResponse> {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(match[i + 1]!);
        } catch {
          throw new PortalError('bad_path', 'Path is not valid URL encoding');
        }
      });
      return route.handler(request, params, context);
    }
    if (pathMatched) throw new PortalError('method_not_allowed', `${request.method} is not allowed here`);
    throw new PortalError('not_found', 'No such route');
  }
}
