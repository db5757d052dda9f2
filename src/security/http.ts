// HTTP-level protections in front of /graphql: security headers, CORS, body size, and the batching policy.
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/** helmet's defaults but the referrer policy; the CSP is relaxed outside production only, where Apollo's landing page loads its sandbox. */
export function securityHeaders(cfg: Pick<Config, 'NODE_ENV'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: cfg.NODE_ENV === 'production' ? undefined : false,
    crossOriginEmbedderPolicy: false,
    // helmet's no-referrer makes browsers send `Origin: null` on our own form posts and fetches, which the
    // same-origin check of cookie-authenticated requests (src/auth/origin.ts) must refuse; same-origin keeps the
    // Origin and still sends nothing to other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** CORS_ORIGINS: comma-separated origins allowed to call the API from a browser ("*" for any); empty: none. */
export function corsPolicy(cfg: Pick<Config, 'CORS_ORIGINS'>): RequestHandler {
  const origins = cfg.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  return cors({
    origin: origins.includes('*') ? '*' : origins.length ? origins : false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-time-zone', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  });
}

function jsonError(status: number, code: string, message: string) {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/**
 * Parses JSON bodies up to the configured size and refuses batches (a JSON array of operations): one operation
 * per request keeps the depth, cost and rate limits meaningful. A request without a JSON body still reaches Apollo,
 * which answers GET queries and explains what a POST is missing.
 */
export function graphqlBody(cfg: Pick<Config, 'GRAPHQL_MAX_BODY_BYTES'>): RequestHandler[] {
  const parse = express.json({ limit: cfg.GRAPHQL_MAX_BODY_BYTES });
  const refuseBatches: RequestHandler = (req, res, next) => {
    if (Array.isArray(req.body)) {
      const refusal = jsonError(400, 'BATCHING_NOT_SUPPORTED', `Batched operations are not accepted (got ${req.body.length}): send one operation per request.`);
      res.status(refusal.status).json(refusal.body);
      return;
    }
    // express 5 leaves req.body unset when nothing was parsed; Apollo's integration would answer that with a 500.
    if (!('body' in (req as object))) (req as { body?: unknown }).body = undefined;
    next();
  };
  return [parse, refuseBatches];
}
