// GraphQL errors that reach clients: every one carries extensions.code; unexpected ones are masked.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger';
import { DomainError } from '../errors';
import { isDatabaseUnavailable } from '../db/connection-errors';
import type { GraphQLContext } from './context';
import { refusalMessage } from './user-errors';

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

/** Retry-After of a SERVICE_UNAVAILABLE answer: a restarted or unfrozen database is usually back within seconds. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
const SERVICE_UNAVAILABLE_MESSAGE = 'The service is unavailable for a moment: its database is not answering. Retry in a few seconds.';

/** For failures outside a resolver (context creation), where the HTTP answer comes from the error itself. */
export function serviceUnavailable(): GraphQLError {
  return new GraphQLError(SERVICE_UNAVAILABLE_MESSAGE, {
    extensions: {
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
      http: { status: 503, headers: new HeaderMap([['retry-after', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS)]]) },
    },
  });
}

/**
 * A response that carries SERVICE_UNAVAILABLE (formatError gives resolvers' database failures that code) answers
 * HTTP 503 with Retry-After, so clients and load balancers back off instead of reading a 200 or a 500.
 */
export function serviceUnavailableStatus<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (!response.body.singleResult.errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

const EXPOSED_CODES = new Set([
  'BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED', 'QUERY_TOO_COMPLEX', 'SERVICE_UNAVAILABLE',
]);

/**
 * Apollo formatError: errors we raised on purpose pass through (without stack traces); a database that cannot answer
 * becomes SERVICE_UNAVAILABLE; anything else is logged with the request id and reaches the client as a masked
 * INTERNAL_SERVER_ERROR.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = formatted.extensions?.code as string | undefined;
    // A literal a scalar refuses fails validation; the scalar's own BAD_USER_INPUT says more (as it does for variables).
    if (code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError && error.originalError instanceof GraphQLError
      && error.originalError.extensions.code === 'BAD_USER_INPUT') code = 'BAD_USER_INPUT';
    const { stacktrace: _stack, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    if (code && EXPOSED_CODES.has(code)) {
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      // The message was rendered in the viewer's language by renderRefusals (below); English if no plugin ran.
      const message = formatted.message === original.message ? refusalMessage(original, undefined) : formatted.message;
      return { ...formatted, message, extensions: { ...extensions, code: original.code } };
    }
    const where = {
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
    };
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: (original as Error).message, path: formatted.path }, 'database unavailable while resolving a request');
      return { message: SERVICE_UNAVAILABLE_MESSAGE, ...where, extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving a request');
    return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Renders every DomainError a request ended with in the viewer's language, on the GraphQL error that carries it
 * (formatError has no context: it keeps the message set here).
 */
export function renderRefusals<T extends Pick<GraphQLContext, 'viewer'>>(): ApolloServerPlugin<T> {
  // One listener for every request: a request without errors pays for nothing but the call.
  const listener = {
    async didEncounterErrors({ contextValue, errors }: { contextValue: T; errors: readonly GraphQLError[] }) {
      for (const error of errors) {
        const original = unwrapResolverError(error);
        if (original instanceof DomainError) error.message = refusalMessage(original, contextValue);
      }
    },
  };
  return { requestDidStart: async () => listener };
}
