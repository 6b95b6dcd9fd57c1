import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ResolverService, ScanOutcome } from '../../domain/scans/resolver.service.js';
import { pageLanguageOf } from '../pages/page-language.js';
import { renderUnknownPage, renderVerdictPage } from '../pages/verdict-page.js';

// A wildcard, not a parametric segment: the router answers an over-long parameter itself (414, JSON),
// while any path under the prefix must get the resolver's own page.
const Params = Type.Object({ '*': Type.String() });

/** The ID in the path (one trailing slash allowed, as on every route). */
const idOf = (params: { '*': string }): string => params['*'].replace(/\/$/, '');

/** The page may load nothing from anywhere: its only style is inline. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  vary: 'Accept-Language',
} as const;

/**
 * `GET /q/{extended_id}`: the URL printed in every code. A QR symbol in alphanumeric mode carries the
 * whole URL upper-cased (`HTTPS://HOST/Q/…`), so the prefix is matched in either case; the ID itself is
 * matched exactly (compact-12 IDs are case-sensitive; legacy IDs are upper-case anyway).
 */
export const resolverRoutes = (deps: { resolver: ResolverService }): FastifyPluginAsyncTypebox => async (app) => {
  const { resolver } = deps;
  const answer = (request: FastifyRequest, reply: FastifyReply, outcome: ScanOutcome) => {
    if (outcome.kind === 'redirect') return reply.code(302).header('cache-control', 'no-store').header('location', outcome.location).send();
    const language = pageLanguageOf(request.headers['accept-language']);
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8');
    if (outcome.kind === 'unknown') return reply.code(404).send(renderUnknownPage(language));
    return reply.code(200).send(renderVerdictPage(outcome.verdict, language));
  };
  for (const prefix of ['/q/', '/Q/']) {
    const options = {
      // Every scan is a request: logging each would cost more than answering it. Errors are still logged.
      logLevel: 'warn' as const,
      config: { public: true },
      schema: { hide: true, params: Params },
    };
    app.get(`${prefix}*`, { ...options, exposeHeadRoute: false }, async (request, reply) => answer(request, reply, await resolver.scan(
      idOf(request.params),
      { userAgent: request.headers['user-agent'], acceptLanguage: request.headers['accept-language'], address: request.ip },
    )));
    app.head(`${prefix}*`, options, async (request, reply) => answer(request, reply, await resolver.peek(idOf(request.params))));
  }
};
