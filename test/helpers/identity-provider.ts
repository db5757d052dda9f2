// A real OpenID Provider in-process: panva's oidc-provider (the reference implementation) on a loopback port, with
// one confidential client (LabShare) and test accounts that tests may change between sign-ins. Its development
// login and consent screens are driven over HTTP by the cookie-keeping client (signInAtProvider).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { type CookieClient, type Hop } from './cookie-client';

// oidc-provider is ESM-only and ships no types; required through Node's require(esm).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: Provider } = require('oidc-provider') as { default: new (issuer: string, config: Record<string, unknown>) => { callback(): http.RequestListener } };

export type AccountClaims = Record<string, unknown> & { email?: string; email_verified?: boolean; name?: string; locale?: string; zoneinfo?: string };

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims per account id (the `sub`); change them to change what the next sign-in says. */
  accounts: Map<string, AccountClaims>;
  /** When set, served at /jwks instead of the provider's own keys: its ID tokens then look wrongly signed. */
  servedJwks?: unknown;
  /**
   * When set, the ID token the token endpoint answers is re-signed, with the provider's own key, with the claims this
   * returns: a correctly signed token that says something else (e.g. expired an hour ago).
   */
  rewriteIdToken?: (claims: JWTPayload) => JWTPayload;
  close(): Promise<void>;
}

export async function startIdentityProvider(options: { redirectUri: string; clientId?: string; clientSecret?: string }): Promise<TestIdentityProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'labshare';
  const clientSecret = options.clientSecret ?? `secret-of-${issuer}`;
  const accounts = new Map<string, AccountClaims>();
  // The provider signs with a key the test knows, so rewriteIdToken can sign as the provider would.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-provider-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    jwks: { keys: [signingJwk] },
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    async findAccount(_ctx: unknown, id: string) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'locale', 'zoneinfo'] },
    cookies: { keys: ['test-identity-provider-cookie-key'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    features: { devInteractions: { enabled: true } },
  });
  const handle = provider.callback();
  const result: TestIdentityProvider = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server.on('request', (req, res) => {
    if (result.servedJwks && req.url === '/jwks') {
      res.setHeader('content-type', 'application/jwk-set+json');
      res.end(JSON.stringify(result.servedJwks));
      return;
    }
    if (result.rewriteIdToken && req.method === 'POST' && req.url === '/token') {
      rewriteTokenAnswer(res, result.rewriteIdToken, privateKey);
    }
    handle(req, res);
  });
  return result;
}

/** Holds back the token endpoint's JSON answer and sends it with its id_token re-signed with other claims. */
function rewriteTokenAnswer(res: http.ServerResponse, rewrite: (claims: JWTPayload) => JWTPayload, key: Parameters<SignJWT['sign']>[0]): void {
  const chunks: Buffer[] = [];
  const end = res.end.bind(res);
  res.write = ((chunk: unknown) => {
    if (chunk) chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
    if (!answer.id_token) return end(Buffer.concat(chunks));
    const header = decodeProtectedHeader(answer.id_token);
    void new SignJWT(rewrite(decodeJwt(answer.id_token)))
      .setProtectedHeader({ alg: header.alg!, kid: header.kid, typ: header.typ })
      .sign(key)
      .then((idToken) => {
        const body = Buffer.from(JSON.stringify({ ...answer, id_token: idToken }));
        res.setHeader('content-length', body.length);
        end(body);
      });
    return res;
  }) as typeof res.end;
}

/**
 * From LabShare's redirect to the provider, through the provider's login and consent screens, to the provider's
 * redirect back to LabShare's callback. Returns that last hop (not followed), so a test can tamper with it.
 */
export async function signInAtProvider(client: CookieClient, toProvider: string, accountId: string): Promise<Hop> {
  const callbackPath = '/auth/oidc/callback';
  let hop = await client.follow(await client.request(toProvider), (url) => new URL(url).pathname === callbackPath);
  for (let step = 0; step < 4 && !(hop.location && new URL(hop.location).pathname === callbackPath); step += 1) {
    const action = /<form[^>]*action="([^"]+)"/.exec(hop.body)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(hop.body)?.[1];
    if (!action || !prompt) throw new Error(`unexpected page at the provider (${hop.status}): ${hop.body.slice(0, 300)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt };
    hop = await client.follow(await client.request(new URL(action, hop.url).toString(), { form }), (url) => new URL(url).pathname === callbackPath);
  }
  if (!hop.location) throw new Error(`the provider did not redirect back (${hop.status}): ${hop.body.slice(0, 300)}`);
  return hop;
}
