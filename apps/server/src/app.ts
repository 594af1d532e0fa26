import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@cunwu/contract';
import type { TApp } from './kernel/app-types';
import { authenticate } from './kernel/auth';
import { AppError, problemOf } from './kernel/errors';
import { errorHandler } from './kernel/http';
import type { TServices } from './kernel/services';
import { VERSION } from './kernel/version';
import { sessionResolver } from './modules/auth';
import { registerModuleRoutes, registerRootRoutes } from './modules/registry';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Hashed build assets never change; index.html must be revalidated so new releases load. */
function cacheHeaders(reply: { header(name: string, value: string): unknown }, filePath: string): void {
  reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Options for building the HTTP app. */
export interface TBuildOptions {
  /** Serve the built front ends (off in API tests). */
  serveApps?: boolean;
  /** Request logging (off in tests and benchmarks). */
  logRequests?: boolean;
}

/** Build the Fastify app: kernel plugins, then every module's routes under /api/v1, then the two apps. */
export async function buildApp(services: TServices, options: TBuildOptions = {}): Promise<TApp> {
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: LIMITS.jsonBodyBytes,
    trustProxy: services.config.trustProxy,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(services.log));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 10, fields: 50, parts: 60 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '村务监督平台 API', description: 'Village micro-power supervision platform. Errors are RFC 9457 problem+json with a stable `code`.', version: VERSION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.decorateRequest('auth', null);
  app.decorateRequest('csrfRejected', false);
  const resolve = sessionResolver(services);
  await app.register(async (api: TApp) => {
    api.addHook('preHandler', async (request) => {
      const result = await authenticate(request, resolve, services.secrets.secretKey);
      request.csrfRejected = result === 'csrf_failed';
      request.auth = result === 'csrf_failed' ? null : result;
    });
    registerModuleRoutes(api, services);
  }, { prefix: '/api/v1' });
  await app.register(async (root: TApp) => {
    root.addHook('preHandler', async (request) => {
      const result = await authenticate(request, resolve, services.secrets.secretKey);
      request.csrfRejected = result === 'csrf_failed';
      request.auth = result === 'csrf_failed' ? null : result;
    });
    registerRootRoutes(root, services);
  });

  const consoleDist = path.join(repoRoot, 'apps/console/dist');
  const villagerDist = path.join(repoRoot, 'apps/villager/dist');
  const serveApps = options.serveApps !== false;
  if (serveApps && existsSync(villagerDist)) {
    await app.register(fastifyStatic, { root: villagerDist, prefix: '/', index: ['index.html'], wildcard: true, cacheControl: false, setHeaders: cacheHeaders });
  }
  if (serveApps && existsSync(consoleDist)) {
    await app.register(fastifyStatic, { root: consoleDist, prefix: '/console/', decorateReply: !existsSync(villagerDist), index: ['index.html'], wildcard: true, cacheControl: false, setHeaders: cacheHeaders });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    // Missing assets (a file name with an extension) are a 404, never the app's index.html.
    if (url.startsWith('/api/') || request.method !== 'GET' || !serveApps || /\/[^/]+\.[a-z0-9]+$/i.test(url)) {
      return reply.status(404).type('application/problem+json').send(problemOf('NOT_FOUND', { detail: `${request.method} ${url}`, requestId: String(request.id) }));
    }
    // Client-side routes of the single-page apps fall back to their index.html.
    const isConsole = url === '/console' || url.startsWith('/console/');
    const dist = isConsole ? consoleDist : villagerDist;
    if (!existsSync(path.join(dist, 'index.html'))) throw new AppError('NOT_FOUND', 'front end not built: run npm run build');
    return reply.header('cache-control', 'no-cache').sendFile('index.html', dist);
  });
  return app;
}
