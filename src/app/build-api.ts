import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAuth } from '../api/plugins/auth.plugin.js';
import { registerErrorHandler } from '../api/plugins/error-handler.plugin.js';
import { registerJsonBody } from '../api/plugins/json-body.plugin.js';
import { DebugRequestLogController } from '../api/plugins/request-log.js';
import { registerStrictScalars } from '../api/plugins/strict-scalars.plugin.js';
import { addComponentSchemas, componentNameOf } from '../api/schemas/components.schemas.js';
import { CONSUMER_KEY_HEADER } from '../api/schemas/consumer.schemas.js';
import { authRoutes } from '../api/routes/auth.routes.js';
import { catalogRoutes } from '../api/routes/catalog.routes.js';
import { consumerRoutes } from '../api/routes/consumer.routes.js';
import { documentRoutes } from '../api/routes/documents.routes.js';
import { resolverRoutes } from '../api/routes/resolver.routes.js';
import { scanDataRoutes } from '../api/routes/scan-data.routes.js';
import { scanSettingsRoutes } from '../api/routes/scan-settings.routes.js';
import { scmRoutes } from '../api/routes/scm.routes.js';
import { templateRoutes } from '../api/routes/templates.routes.js';
import { workorderCodesRoutes } from '../api/routes/workorder-codes.routes.js';
import { workorderRoutes } from '../api/routes/workorders.routes.js';
import type { Config } from '../config/config.types.js';
import type { Container } from './container.js';

const API_DESCRIPTION = `Sigil work-order API, wire-compatible with the Scantrust REST API v2.

Authenticate with \`Authorization: UAT <key>\` (tokens from \`sigil token create\`) or
\`Authorization: JWT <token>\` (from \`POST /api/v2/auth/login/\`). Errors follow Django REST Framework:
\`{"detail": "…"}\` for 401/403/404 and \`{"field": ["message"]}\` for 400.

\`codegen_status\`: 1 awaiting printer confirmation, 6 generating, 4 generated, 5 failed, 3 canceled.
\`state\`: "new", "ready to print", "printed", "completed", "canceled".`;

/** The HTTP API: validation, auth, errors, OpenAPI document and routes. */
export async function buildApi(container: Container): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: container.logger as FastifyBaseLogger,
    // Request lines at debug: at info they cost a third of a detail request (see request-log.ts).
    logController: new DebugRequestLogController(),
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
    trustProxy: fastifyTrustProxy(container.config.trustProxy),
    ajv: { customOptions: { allErrors: true, verbose: true, coerceTypes: true, removeAdditional: true, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Fastify gives every request a child logger; resolver scans (thousands a second, logged at warn and
  // above only) share one, which spares the hottest path a logger per request.
  const scanLogger = app.log.child({ route: 'resolver' }, { level: 'warn' });
  app.setChildLoggerFactory((logger, bindings, options, rawRequest) => (isScanUrl(rawRequest.url) ? scanLogger : logger.child(bindings, options)));

  registerErrorHandler(app, { isBusyError: container.database.capabilities.isBusyError });
  // Hooks that attach themselves to each route as it is added: registered before any route, the
  // documentation's marking first (its pages need no credentials), then in the order they run.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v2/docs')) route.config = { ...(route.config as object), public: true };
  });
  registerAuth(app, container.auth);
  registerJsonBody(app);
  registerStrictScalars(app);
  addComponentSchemas(app);
  await app.register(swagger, {
    // Schemas added with an `$id` (components.schemas.ts) keep their name in `#/components/schemas/`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => componentNameOf(json, index) },
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Sigil API', version: '2', description: API_DESCRIPTION },
      servers: [{ url: container.config.publicUrl }],
      components: {
        securitySchemes: {
          UAT: {
            type: 'apiKey', in: 'header', name: 'Authorization',
            description: '`Authorization: UAT <key>`: a user access token from `sigil token create` (the key is shown once).',
          },
          JWT: {
            type: 'apiKey', in: 'header', name: 'Authorization',
            description: '`Authorization: JWT <token>`: the token `POST /api/v2/auth/login/` returns (valid until its `expires_at`).',
          },
          ConsumerKey: {
            type: 'apiKey', in: 'header', name: CONSUMER_KEY_HEADER,
            description: 'The Consumer API only: a brand owner\'s consumer API key (`sigil consumer-key create --company ID`), never a UAT or JWT.',
          },
        },
      },
      security: [{ UAT: [] }, { JWT: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v2/docs', uiConfig: { docExpansion: 'list' } });

  app.get('/api/v2/schema/', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  await app.register(authRoutes({ auth: container.auth, db: container.db }));
  await app.register(templateRoutes({ templates: container.templates, publicUrl: container.config.publicUrl }));
  await app.register(workorderRoutes({ workorders: container.workorders, publicUrl: container.config.publicUrl }));
  await app.register(workorderCodesRoutes({ codes: container.workorderCodes, publicUrl: container.config.publicUrl }));
  await app.register(catalogRoutes({ catalog: container.catalog, publicUrl: container.config.publicUrl }));
  await app.register(scanSettingsRoutes({ settings: container.scanSettings }));
  await app.register(scmRoutes({ scm: container.scm, publicUrl: container.config.publicUrl }));
  await app.register(documentRoutes({ exports: container.exports }));
  await app.register(scanDataRoutes({ scans: container.scanData, clock: container.clock, publicUrl: container.config.publicUrl }));
  await app.register(resolverRoutes({ resolver: container.resolver }));
  await app.register(consumerRoutes({ consumer: container.consumer, keys: container.consumerKeys }));
  return app;
}

/** Fastify's form of the setting: a hop count becomes "trust the first n hops". */
function fastifyTrustProxy(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

/** Whether a raw request URL is a resolver scan (`/q/…` or `/Q/…`). */
function isScanUrl(url: string | undefined): boolean {
  return url !== undefined && url.length > 3 && url.charCodeAt(0) === 0x2f && (url[1] === 'q' || url[1] === 'Q') && url[2] === '/';
}
