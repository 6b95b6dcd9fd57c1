import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preValidation' | 'preHandler';

/**
 * Adds a hook to one route (from an `onRoute` hook) instead of to every route: a hook only some routes
 * need — authentication, body handling — then costs nothing on the others. The resolver answers
 * thousands of scans a second and has no credentials and no body: each global async hook is a promise
 * and a microtask turn per scan.
 */
export function addRouteHook(route: RouteOptions, name: HookName, hook: (...args: never[]) => unknown): void {
  const existing = route[name] as unknown;
  const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<HookName, unknown[]>)[name] = [...hooks, hook];
}

/** Whether a route takes a request body. */
export const takesBody = (route: RouteOptions): boolean =>
  [route.method].flat().some((method) => method === 'POST' || method === 'PATCH' || method === 'PUT');
