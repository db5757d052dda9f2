// A real OpenID Provider in-process: panva's oidc-provider (the reference implementation) on a loopback port, with
// one confidential client (LabShare) and test accounts that tests may change between sign-ins. Its development
// login and consent screens are driven over HTTP by the cookie-keeping client (signInAtProvider).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  close(): Promise<void>;
}

export async function startIdentityProvider(options: { redirectUri: string; clientId?: string; clientSecret?: string }): Promise<TestIdentityProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'labshare';
  const clientSecret = options.clientSecret ?? `secret-of-${issuer}`;
  const accounts = new Map<string, AccountClaims>();
  const provider = new Provider(issuer, {
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
    handle(req, res);
  });
  return result;
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
