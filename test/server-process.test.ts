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

  it('exits promptly on SIGTERM with an idle keep-alive connection open, outside tests too', async () => {
    // NODE_ENV=development: Apollo would install its own signal handlers there, which once raced ours.
    const server = await startServerProcess({ NODE_ENV: 'development' });
    await (await fetch(`${server.url}/healthz`)).json(); // leaves a keep-alive socket open
    const started = Date.now();
    expect(await server.stop('SIGTERM')).to.equal(0);
    expect(Date.now() - started).to.be.below(3000);
  });
});
