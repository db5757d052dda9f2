// Fault test: the API (in this process) runs on a mariadbd this test starts, freezes (SIGSTOP), thaws and kills.
// Every answer comes within the statement bound as SERVICE_UNAVAILABLE with HTTP 503 and Retry-After, and /readyz
// answers within a second.
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { config, type Config } from '../../src/config';
import { createSequelize, ensureDatabase, migrate } from '../../src/db/database';
import { testDatabase } from '../helpers/db';
import { makeInstrument, makeUser } from '../helpers/factories';
import { startPrivateMariaDb, type PrivateMariaDb } from '../helpers/private-mariadb';
import { startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { waitFor } from '../jobs/support';

const STATEMENT_BOUND_MS = 1500;
/** Room for a loaded 2-core machine on top of the bound. */
const SLACK_MS = 800;
const READ = '{ instruments(first: 5) { nodes { id name } } }';
const PROFILE = '{ me { id email } }';

describe('fault test: MariaDB freezes and dies under the API', function () {
  this.timeout(50_000);
  let mariadb: PrivateMariaDb;
  let sequelize: Sequelize;
  let server: TestServer;
  let signedIn: Record<string, string>;

  before(async () => {
    await testDatabase(); // loads the signing secret before the models are bound to the private server
    mariadb = await startPrivateMariaDb();
    const cfg: Config = { ...config(), DATABASE_URL: `${mariadb.url}/labshare_test_faults`, DATABASE_STATEMENT_TIMEOUT_MS: STATEMENT_BOUND_MS };
    await ensureDatabase(cfg.DATABASE_URL);
    sequelize = createSequelize(cfg); // binds the models to the private server until after()
    await migrate(sequelize);
    await makeInstrument();
    // issueToken, not bearer(): bearer() would bind the models back to the shared test database.
    signedIn = { authorization: `Bearer ${await issueToken((await makeUser({ email: 'frozen@test.example' })).id, cfg)}` };
    server = await startTestServer({ cfg, sequelize });
  });

  after(async () => {
    mariadb?.thaw();
    await server?.close();
    // A pool whose server is dead may never hear back from its goodbyes.
    await Promise.race([sequelize?.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))]);
    await mariadb?.stop();
    await testDatabase(); // binds the models back to the shared test database
  });

  const timed = async <T>(fn: () => Promise<T>): Promise<T & { ms: number }> => {
    const started = performance.now();
    const value = await fn();
    return { ...value, ms: performance.now() - started };
  };
  const readyz = () => timed(async () => {
    const response = await fetch(`${server.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  });

  function expectServiceUnavailable(response: GraphQLResponse & { ms: number }, withinMs: number): void {
    expect(response.status, JSON.stringify(response.errors)).to.equal(503);
    expect(response.errors?.map((e) => e.extensions?.code)).to.include('SERVICE_UNAVAILABLE');
    expect(response.errors?.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')).to.equal(true);
    expect(Number(response.headers.get('retry-after'))).to.be.within(1, 60);
    expect(response.ms).to.be.below(withinMs);
  }

  it('serves reads and signed-in requests while MariaDB is up', async () => {
    const read = await server.gql(READ);
    expect(read.status).to.equal(200);
    expect(read.data?.instruments.nodes).to.have.length(1);
    const me = await server.gql(PROFILE, undefined, signedIn);
    expect(me.data?.me.email).to.equal('frozen@test.example');
    expect((await readyz()).status).to.equal(200);
  });

  it('answers SERVICE_UNAVAILABLE with 503 and Retry-After within the statement bound while MariaDB is frozen, and recovers when it resumes', async () => {
    mariadb.freeze();
    const [anonymous, person, ready] = await Promise.all([
      timed(() => server.gql(READ)), // a resolver's Sequelize query
      timed(() => server.gql(PROFILE, undefined, signedIn)), // the context's plain statement (src/db/raw.ts)
      readyz(),
    ]);
    expectServiceUnavailable(anonymous, STATEMENT_BOUND_MS + SLACK_MS);
    expectServiceUnavailable(person, STATEMENT_BOUND_MS + SLACK_MS);
    expect(ready.status).to.equal(503);
    expect(ready.body.mariadb).to.match(/^unreachable/);
    expect(ready.ms).to.be.below(1000);
    // Later requests are bounded too (new connections to a frozen server never get its greeting).
    expectServiceUnavailable(await timed(() => server.gql(READ)), STATEMENT_BOUND_MS + SLACK_MS);

    mariadb.thaw();
    await waitFor(async () => (await server.gql(READ)).status === 200, 'reads to succeed after SIGCONT', 10_000);
    expect((await server.gql(PROFILE, undefined, signedIn)).data?.me.email).to.equal('frozen@test.example');
  });

  it('answers SERVICE_UNAVAILABLE with 503 and Retry-After at once when MariaDB is dead', async () => {
    await mariadb.kill();
    for (const response of [await timed(() => server.gql(READ)), await timed(() => server.gql(PROFILE, undefined, signedIn)), await timed(() => server.gql(READ))]) {
      expectServiceUnavailable(response, 1000);
    }
    const ready = await readyz();
    expect(ready.status).to.equal(503);
    expect(ready.ms).to.be.below(1000);
  });
});
