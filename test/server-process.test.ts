import { expect } from 'chai';
import { startServerProcess } from './helpers/processes';

describe('server process', function () {
  this.timeout(90_000);

  it('answers /healthz and /readyz, and exits cleanly on SIGTERM after finishing in-flight requests', async () => {
    const server = await startServerProcess();
    expect(await (await fetch(`${server.url}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).to.deep.equal({ status: 'ok', mariadb: 'ok', redis: 'ok' });
    // A request in flight when SIGTERM arrives still gets its answer.
    const inFlight = fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ institutions(first: 5) { nodes { id } } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const exit = server.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status).to.equal(200);
    expect(await exit).to.equal(0);
  });
});
