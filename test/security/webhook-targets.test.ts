// Where webhook deliveries may connect: the check runs on the addresses a connection is about to use, after name
// resolution, so a name that resolves inside is refused even though its text looks public.
import { expect } from 'chai';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { isPublicAddress, postWebhook, WebhookTargetRefused } from '../../src/security/webhook-targets';

interface Listener {
  port: number;
  received: string[];
  close(): Promise<void>;
}

async function listen(answer: (res: http.ServerResponse) => void = (res) => res.writeHead(204).end()): Promise<Listener> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    answer(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const table = (names: Record<string, string[]>) => async (host: string) => {
  if (!names[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return names[host].map((address) => ({ address, family: isIP(address) }));
};

const post = { headers: { 'content-type': 'application/json' }, body: '{"id":"e1"}', timeoutMs: 2000 };

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the delivery to be refused');
}

describe('webhook targets: public unicast addresses only, checked when connecting', () => {
  let listener: Listener;

  beforeEach(async () => {
    listener = await listen();
  });

  afterEach(async () => {
    await listener.close();
  });

  it('tells public unicast addresses from loopback, private, link-local, site-local, multicast, reserved and mapped ones', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e']) {
      expect(isPublicAddress(address), address).to.equal(true);
    }
    for (const address of ['127.0.0.1', '127.255.0.9', '0.0.0.0', '10.0.0.1', '100.64.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255',
      '192.168.1.1', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.51.100.1', '203.0.113.1', '224.0.0.1', '240.0.0.1', '255.255.255.255',
      '::', '::1', '::127.0.0.1', '::7f00:1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '64:ff9b::a9fe:a9fe', '100::1', 'fc00::1', 'fd12:3456::1',
      'fe80::1', 'fe80::1%eth0', 'fec0::1', 'feff::1', 'ff02::1', '2001::1', '2001:db8::1', '2002:7f00:1::1', '3fff::1', 'not an address', '']) {
      expect(isPublicAddress(address), address).to.equal(false);
    }
  });

  it('refuses a public-looking name that resolves to loopback, and the listener receives nothing', async () => {
    const resolve = table({ 'hooks.partner.example': ['127.0.0.1'] });
    const error = await refusal(postWebhook(`http://hooks.partner.example:${listener.port}/h`, { ...post, allowPrivateTargets: false, resolve }));
    expect(error).to.be.instanceOf(WebhookTargetRefused);
    expect(error.message).to.match(/resolves to 127\.0\.0\.1/);
    expect(listener.received).to.deep.equal([]);
  });

  it('delivers to that same name when private targets are allowed explicitly (the checked lookup is the one that connects)', async () => {
    const resolve = table({ 'hooks.partner.example': ['127.0.0.1'] });
    expect(await postWebhook(`http://hooks.partner.example:${listener.port}/h`, { ...post, allowPrivateTargets: true, resolve })).to.equal(204);
    expect(listener.received).to.deep.equal(['POST /h']);
  });

  it('refuses a name that resolves to the metadata address, or to any private address among public ones', async () => {
    const resolve = table({ 'metadata.partner.example': ['169.254.169.254'], 'mixed.partner.example': ['93.184.216.34', '127.0.0.1'] });
    for (const url of ['https://metadata.partner.example/latest/meta-data/', `http://mixed.partner.example:${listener.port}/h`]) {
      expect(await refusal(postWebhook(url, { ...post, allowPrivateTargets: false, resolve })), url).to.be.instanceOf(WebhookTargetRefused);
    }
    expect(listener.received).to.deep.equal([]);
  });

  it('refuses loopback through the system resolver (localhost, localhost.) and in every literal spelling', async () => {
    for (const url of [
      `http://localhost:${listener.port}/h`,
      `http://localhost.:${listener.port}/h`,
      `http://127.0.0.1:${listener.port}/h`,
      `http://0x7f000001:${listener.port}/h`,
      `http://[::ffff:127.0.0.1]:${listener.port}/h`,
      `http://[::127.0.0.1]:${listener.port}/h`,
    ]) {
      expect(await refusal(postWebhook(url, { ...post, allowPrivateTargets: false })), url).to.be.instanceOf(WebhookTargetRefused);
    }
    expect(listener.received).to.deep.equal([]);
  });

  it('does not follow a redirect: the 3xx is the answer and its target receives nothing', async () => {
    const target = await listen();
    const redirecting = await listen((res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end());
    try {
      expect(await postWebhook(`http://127.0.0.1:${redirecting.port}/h`, { ...post, allowPrivateTargets: true })).to.equal(307);
      expect(redirecting.received).to.deep.equal(['POST /h']);
      expect(target.received).to.deep.equal([]);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });
});
