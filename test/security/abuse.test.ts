// Oversized and abusive requests are refused before any work is done, with a typed error and a 4xx status, while
// the server keeps answering everyone else.
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { config } from '../../src/config';
import { logger } from '../../src/logger';
import { connectRedis } from '../../src/redis';
import { resetTables, testDatabase } from '../helpers/db';
import { makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

interface Refusal {
  status: number;
  code: string;
  message: string;
}

async function refusalOf(response: Response): Promise<Refusal> {
  const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code ?? 'NONE', message: body.errors?.[0]?.message ?? '' };
}

function deepQuery(levels: number, instrumentId: number): string {
  // instrument → lab → instruments → nodes → lab → ... : every level is a real field.
  let body = 'id';
  const steps: string[] = [];
  // levels = instrument + the steps + the leaf id
  while (steps.length < levels - 2) steps.push(...['lab', 'instruments', 'nodes'].slice(0, levels - 2 - steps.length));
  for (const step of steps.reverse()) body = `${step} { ${body} }`;
  return `{ instrument(id: "${instrumentId}") { ${body} } }`;
}

describe('abuse limits', function () {
  this.timeout(30_000);
  let server: TestServer;
  let headers: Record<string, string>;
  let instrumentId: number;

  const abuses: Record<string, () => Promise<Response>> = {};

  before(async () => {
    await resetTables();
    server = await startTestServer();
    const lab = await makeLab();
    instrumentId = (await makeInstrument({ labId: lab.id })).id;
    headers = await bearer((await makeUser()).id);
    const json = (body: unknown) => server.post(JSON.stringify(body), headers);
    Object.assign(abuses, {
      'a query 50 levels deep': () => json({ query: deepQuery(50, instrumentId) }),
      'a query with 1,000 aliases': () => json({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
      'a batch of 100 operations': () => json(Array.from({ length: 100 }, () => ({ query: '{ institutions { nodes { id } } }' }))),
      'first: 100000': () => json({ query: '{ instruments(first: 100000) { nodes { id } } }' }),
      'a 5 MB body': () => json({ query: '{ __typename }', variables: { padding: 'x'.repeat(5 * 1024 * 1024) } }),
    });
  });

  after(async () => {
    await server?.close();
  });

  const normalQuery = async () => {
    const res = await server.gql('query($id: ID!) { instrument(id: $id) { id lab { name } } }', { id: String(instrumentId) }, headers);
    return res.status === 200 && !res.errors && res.data?.instrument?.id === String(instrumentId);
  };

  it('refuses a query 50 levels deep, naming the depth limit', async () => {
    expect(await refusalOf(await abuses['a query 50 levels deep']())).to.deep.equal({
      status: 400, code: 'QUERY_TOO_COMPLEX', message: 'Query depth limit of 10 exceeded, found 50.',
    });
  });

  it('refuses 1,000 aliases, even of __typename', async () => {
    expect(await refusalOf(await abuses['a query with 1,000 aliases']())).to.deep.equal({
      status: 400, code: 'QUERY_TOO_COMPLEX', message: 'Aliases limit of 30 exceeded, found 1000.',
    });
  });

  it('refuses a batch of operations: one operation per request', async () => {
    const refusal = await refusalOf(await abuses['a batch of 100 operations']());
    expect(refusal).to.include({ status: 400, code: 'BATCHING_NOT_SUPPORTED' });
    expect(refusal.message).to.match(/one operation per request/);
  });

  it('refuses first: 100000 before running anything, also when it comes in a variable', async () => {
    const literal = await refusalOf(await abuses['first: 100000']());
    expect(literal).to.include({ status: 400, code: 'BAD_USER_INPUT' });
    expect(literal.message).to.match(/^first must be between 1 and 100 \(got 100000 on Query\.instruments\)/);
    const res = await server.gql('query($n: Int) { labs { nodes { instruments(first: $n) { nodes { id } } } } }', { n: 100000 }, headers);
    expect(res.status).to.equal(400);
    expect(res.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(res.errors?.[0].message).to.match(/got 100000 on Lab\.instruments/);
  });

  it('refuses a 5 MB body with 413 and the limit', async () => {
    expect(await refusalOf(await abuses['a 5 MB body']())).to.deep.equal({
      status: 413, code: 'PAYLOAD_TOO_LARGE', message: `Request body too large: the limit is ${config().GRAPHQL_MAX_BODY_BYTES} bytes.`,
    });
  });

  it('refuses an operation whose list sizes multiply past the cost limit, counting sizes from variables and id lists', async () => {
    const nested = await server.gql('{ labs(first: 100) { nodes { instruments(first: 100) { nodes { id name } } } } }', undefined, headers);
    expect(nested.status).to.equal(400);
    expect(nested.errors?.[0].extensions).to.include({ code: 'QUERY_TOO_COMPLEX', maxCost: config().GRAPHQL_MAX_COST });
    expect(nested.errors?.[0].message).to.match(/^Query cost \d+ exceeds the limit of \d+/);
    const viaVariables = await server.gql(
      'query($a: Int, $b: Int) { labs(first: $a) { nodes { instruments(first: $b) { nodes { id name } } } } }', { a: 100, b: 100 }, headers,
    );
    expect(viaVariables.errors?.[0].extensions?.code).to.equal('QUERY_TOO_COMPLEX');
    const small = await server.gql('query($a: Int, $b: Int) { labs(first: $a) { nodes { instruments(first: $b) { nodes { id name } } } } }', { a: 5, b: 5 }, headers);
    expect(small.errors).to.equal(undefined);
    const perId = 'query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z") { instrument { lab { instruments(first: 50) { nodes { id name } } } } } }';
    const manyIds = await server.gql(perId, { ids: Array.from({ length: 100 }, (_, i) => String(i + 1)) }, headers);
    expect(manyIds.errors?.[0].extensions?.code).to.equal('QUERY_TOO_COMPLEX');
    const fewIds = await server.gql(perId, { ids: [String(instrumentId)] }, headers);
    expect(fewIds.errors).to.equal(undefined);
  });

  it('works out limits per document once, but costs sizes given by variables on every request', async () => {
    // The same text, small then large then small: a cost kept from the first request would let the second through.
    const text = 'query($a: Int, $b: Int) { institutions(first: $a) { nodes { id } } labs(first: $b) { nodes { instruments(first: $b) { nodes { id } } } } }';
    for (const [a, b, refused] of [[5, 5, false], [5, 100, true], [5, 5, false], [100000, 1, true]] as const) {
      const res = await server.gql(text, { a, b }, headers);
      expect(res.errors?.[0]?.extensions?.code, `a=${a} b=${b}`).to.equal(refused ? (a > 100 ? 'BAD_USER_INPUT' : 'QUERY_TOO_COMPLEX') : undefined);
    }
    // A document refused for its shape is refused again, however often it comes.
    for (let i = 0; i < 3; i += 1) expect((await refusalOf(await abuses['a query 50 levels deep']())).code).to.equal('QUERY_TOO_COMPLEX');
  });

  it('refuses a document of more than the token limit as a parse error', async () => {
    const res = await server.gql(`{ ${Array.from({ length: 6000 }, () => '__typename').join(' ')} }`, undefined, headers);
    expect(res.errors?.[0].extensions?.code, res.errors?.[0].message).to.equal('GRAPHQL_PARSE_FAILED');
    expect(res.status).to.equal(400);
    expect(res.errors?.[0].message).to.match(/Document contains more th\w+ 5000 tokens/);
  });

  it('keeps answering other callers promptly while every abuse arrives at once, repeatedly', async () => {
    const abusive = Array.from({ length: 4 }, () => Object.values(abuses).map((send) => send().then((r) => r.status))).flat();
    const started = Date.now();
    const normal = await Promise.all(Array.from({ length: 20 }, normalQuery));
    const elapsed = Date.now() - started;
    const statuses = await Promise.all(abusive);
    expect(normal.every(Boolean)).to.equal(true);
    expect(statuses.every((s) => s >= 400 && s < 500), String(statuses)).to.equal(true);
    expect(elapsed).to.be.lessThan(5000);
    expect(await normalQuery()).to.equal(true);
  });
});

describe('HTTP hardening', function () {
  this.timeout(20_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.close();
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await server.post(JSON.stringify({ query: '{ __typename }' }));
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).to.match(/max-age=/);
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('keeps Apollo CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).to.equal(400);
    expect(await res.text()).to.match(/CSRF/);
    const allowed = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).to.equal(200);
  });

  it('answers a POST that is not JSON with a typed 400, not a 500', async () => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }, body: '{ __typename }' });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).to.equal('BAD_REQUEST');
  });
});

describe('configured for production and CORS', function () {
  this.timeout(20_000);
  let url: string;
  let stop: () => Promise<void>;

  before(async () => {
    const cfg = { ...config(), NODE_ENV: 'production' as const, CORS_ORIGINS: 'https://portal.partner.example, https://labshare.example' };
    const redis = await connectRedis(cfg.REDIS_URL);
    const { httpServer, apollo } = await createApp({ cfg, sequelize: await testDatabase(), redis, logger });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as { port: number }).port}/graphql`;
    stop = async () => {
      await apollo.stop();
      redis.disconnect();
    };
  });

  after(async () => {
    await stop?.();
  });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('turns introspection off', async () => {
    const body = (await (await post('{ __schema { types { name } } }')).json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).to.equal('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).to.match(/introspection/i);
  });

  it('does not suggest field names, which would reveal the schema', async () => {
    const body = (await (await post('{ instrumnts { nodes { id } } }')).json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).not.to.match(/Did you mean/);
  });

  it('does not suggest enum values, argument or input field names, in literals or variables', async () => {
    const answers = [
      await post('{ instruments(filter: { kind: INSTRUMNT }) { nodes { id } } }'),
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($f: InstrumentFilter) { instruments(filter: $f) { nodes { id } } }', variables: { f: { kind: 'INSTRUMNT' } } }),
      }),
      await post('{ instruments(filtr: { kind: INSTRUMENT }) { nodes { id } } }'),
      await post('{ instruments(filter: { knd: INSTRUMENT }) { nodes { id } } }'),
    ];
    for (const answer of answers) {
      const body = (await answer.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).to.be.oneOf(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);
      expect(body.errors[0].message).not.to.match(/Did you mean|"INSTRUMENT"|"filter"|"kind"/);
    }
  });

  it('allows the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const allowed = await preflight('https://portal.partner.example');
    expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://portal.partner.example');
    expect(allowed.headers.get('access-control-allow-headers')).to.match(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
  });
});
