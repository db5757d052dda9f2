// Single sign-on through an institution's OpenID Connect provider: authorization-code flow with PKCE, state and nonce,
// all checked by openid-client (discovery, token exchange, ID token claims and signature); nothing here validates a
// token by hand.
// The flow in progress lives in Redis for 10 minutes under a random id kept in an HttpOnly cookie, so a callback is
// accepted once, and only in the browser that started it.
import * as oidc from 'openid-client';
import type { Config } from '../config';
import { enabledProviderOf, type IdentityProviderWithSecret } from './identity-providers';
import { randomSecret, sha256 } from './hashing';
import type { SignInErrorCode } from './messages';
import { decryptSecret } from './secrets';
import type { RedisClient } from '../redis';

const FLOW_TTL_SECONDS = 600;
/** Discovery documents are re-read after this long, or at once when an admin changes the provider. */
const DISCOVERY_TTL_MS = 10 * 60_000;

export interface OidcFlow {
  providerId: number;
  institutionId: number;
  issuer: string;
  redirectUri: string;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export class OidcSignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OidcSignInError';
  }
}

const discovered = new Map<string, { at: number; configuration: Promise<oidc.Configuration> }>();

/** openid-client's Configuration for a provider: discovery from the issuer's .well-known/openid-configuration. */
export function configurationFor(provider: IdentityProviderWithSecret, cfg: Pick<Config, 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>): Promise<oidc.Configuration> {
  const key = `${provider.id}\u0000${provider.issuer}\u0000${provider.clientId}\u0000${provider.clientSecretEncrypted}`;
  const known = discovered.get(key);
  if (known && Date.now() - known.at < DISCOVERY_TTL_MS) return known.configuration;
  const issuer = new URL(provider.issuer);
  const configuration = oidc.discovery(
    issuer,
    provider.clientId,
    undefined,
    oidc.ClientSecretBasic(decryptSecret(provider.clientSecretEncrypted, cfg)),
    {
      // The spec lets a client trust an ID token from the token endpoint on TLS alone; we also verify its signature
      // against the provider's published keys (one cached JWKS fetch), so a token the provider did not sign is refused.
      execute: [
        oidc.enableNonRepudiationChecks,
        // http issuers are accepted only outside production (identity-providers.ts refuses to store them there).
        ...(issuer.protocol === 'http:' && cfg.NODE_ENV !== 'production' ? [oidc.allowInsecureRequests] : []),
      ],
      timeout: 10,
    },
  );
  discovered.set(key, { at: Date.now(), configuration });
  configuration.catch(() => discovered.delete(key));
  return configuration;
}

const flowKey = (cfg: Pick<Config, 'QUEUE_PREFIX'>, flowId: string) => `${cfg.QUEUE_PREFIX}:oidc-flow:${sha256(flowId)}`;

/** Begins a sign-in at the institution's provider: the URL to send the browser to, and the flow id for its cookie. */
export async function startOidcSignIn(
  institutionId: number,
  options: { redirectUri: string; loginHint?: string },
  deps: { cfg: Config; redis: RedisClient },
): Promise<{ authorizationUrl: string; flowId: string }> {
  const provider = await enabledProviderOf(institutionId);
  if (!provider) throw new OidcSignInError('NO_PROVIDER', `institution ${institutionId} has no enabled identity provider`);
  let configuration: oidc.Configuration;
  try {
    configuration = await configurationFor(provider, deps.cfg);
  } catch (error) {
    throw new OidcSignInError('PROVIDER_ERROR', `discovery at ${provider.issuer} failed: ${(error as Error).message}`);
  }
  const flow: OidcFlow = {
    providerId: provider.id,
    institutionId,
    issuer: provider.issuer,
    redirectUri: options.redirectUri,
    codeVerifier: oidc.randomPKCECodeVerifier(),
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
  };
  const flowId = randomSecret();
  await deps.redis.set(flowKey(deps.cfg, flowId), JSON.stringify(flow), 'EX', FLOW_TTL_SECONDS);
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: flow.redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  });
  return { authorizationUrl: url.toString(), flowId };
}

/** Takes the flow out of Redis: whatever happens next, it cannot be used twice. */
async function takeFlow(flowId: string, deps: { cfg: Config; redis: RedisClient }): Promise<OidcFlow | null> {
  const key = flowKey(deps.cfg, flowId);
  const [[, value]] = (await deps.redis.multi().get(key).del(key).exec()) as [[Error | null, string | null], [Error | null, number]];
  return value ? (JSON.parse(value) as OidcFlow) : null;
}

export interface VerifiedClaims {
  provider: IdentityProviderWithSecret;
  issuer: string;
  subject: string;
  claims: Record<string, unknown>;
}

/**
 * Completes the flow from the callback's query string: openid-client checks state, the issuer (RFC 9207 `iss` and the
 * ID token's), the code exchange with the PKCE verifier, the ID token's signature, audience, expiry and nonce. Claims
 * come from the ID token, completed by the userinfo endpoint when the provider has one.
 */
export async function finishOidcSignIn(flowId: string | undefined, search: string, deps: { cfg: Config; redis: RedisClient }): Promise<VerifiedClaims & { flow: OidcFlow }> {
  const flow = flowId ? await takeFlow(flowId, deps) : null;
  if (!flow) throw new OidcSignInError('FLOW_EXPIRED', 'no sign-in in progress for this browser');
  const provider = await enabledProviderOf(flow.institutionId);
  if (!provider || provider.id !== flow.providerId || provider.issuer !== flow.issuer) {
    throw new OidcSignInError('NO_PROVIDER', 'the provider changed or was disabled during the sign-in');
  }
  const configuration = await configurationFor(provider, deps.cfg);
  const currentUrl = new URL(`${flow.redirectUri}${search}`);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw classify(error);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcSignInError('TOKEN_REJECTED', 'no ID token');
  let claims: Record<string, unknown> = { ...idClaims };
  if (configuration.serverMetadata().userinfo_endpoint && tokens.access_token) {
    try {
      // fetchUserInfo checks that userinfo names the same subject as the ID token.
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      claims = { ...idClaims, ...pickProfile(userinfo as Record<string, unknown>) };
    } catch (error) {
      throw new OidcSignInError('PROVIDER_ERROR', `userinfo failed: ${(error as Error).message}`);
    }
  }
  return { provider, issuer: configuration.serverMetadata().issuer, subject: idClaims.sub, claims, flow };
}

/** Profile claims from userinfo win over the ID token's (they are the fresher copy); identity claims never do. */
function pickProfile(userinfo: Record<string, unknown>): Record<string, unknown> {
  const { sub: _sub, iss: _iss, aud: _aud, ...profile } = userinfo;
  return profile;
}

function classify(error: unknown): OidcSignInError {
  // openid-client wraps oauth4webapi's error: the cause says which check failed.
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  const message = [(error as Error).message ?? String(error), cause].filter(Boolean).join(': ');
  if (error instanceof oidc.AuthorizationResponseError) return new OidcSignInError('PROVIDER_ERROR', `the provider answered ${error.error}: ${error.error_description ?? ''}`);
  if (/"state"/.test(message)) return new OidcSignInError('STATE_MISMATCH', message);
  if (error instanceof oidc.ResponseBodyError) return new OidcSignInError('PROVIDER_ERROR', `token endpoint: ${error.error} ${error.error_description ?? ''}`);
  return new OidcSignInError('TOKEN_REJECTED', message);
}
