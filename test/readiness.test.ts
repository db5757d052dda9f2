import { expect } from 'chai';
import { freePort } from './helpers/processes';
import { startTestServer, type TestServer } from './helpers/server';

describe('/readyz with read replicas', () => {
  let server: TestServer;
  let closedPort: number;

  before(async () => {
    closedPort = await freePort(); // nothing listens there
    const primary = new URL(process.env.DATABASE_URL!);
    server = await startTestServer({
      cfg: { DATABASE_REPLICA_URLS: `mysql://root@127.0.0.1:${closedPort}/labshare, mysql://root@${primary.hostname}:${primary.port || 3306}/labshare` },
    });
  });
  after(async () => {
    await server?.close();
  });

  it('stays 200 but says "degraded", naming the replica, when a replica is unreachable: the primary still serves', async () => {
    const started = Date.now();
    const response = await fetch(`${server.url}/readyz`);
    const body = (await response.json()) as { status: string; mariadb: string; redis: string; replicas: Record<string, string> };
    expect(response.status).to.equal(200);
    expect(body).to.include({ status: 'degraded', mariadb: 'ok', redis: 'ok' });
    const primary = new URL(process.env.DATABASE_URL!);
    expect(body.replicas[`${primary.hostname}:${primary.port || 3306}`]).to.equal('ok');
    expect(body.replicas[`127.0.0.1:${closedPort}`]).to.match(/^unreachable/);
    expect(Date.now() - started).to.be.below(1000);
  });
});
