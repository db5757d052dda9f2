import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const root = path.resolve(__dirname, '..');

/** Runs the real entry point with ts-node and the given environment; returns its exit and stderr. */
function startServer(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('configuration', () => {
  it('has defaults that work with a local MariaDB and Redis', () => {
    const cfg = loadConfig({});
    expect(cfg.DATABASE_URL).to.equal('mysql://root@127.0.0.1:3306/labshare');
    expect(cfg.REDIS_URL).to.equal('redis://127.0.0.1:6379');
    expect(cfg.PORT).to.equal(4000);
  });

  it('listens on loopback only unless HOST is set', () => {
    expect(loadConfig({}).HOST).to.equal('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://labshare.example.org' }).HOST).to.equal('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).to.equal('0.0.0.0');
  });

  it('keeps the webhook address filter on unless it is turned off explicitly, whatever NODE_ENV says', () => {
    for (const NODE_ENV of [undefined, 'development', 'test', 'production']) {
      expect(loadConfig({ NODE_ENV, PUBLIC_URL: 'https://labshare.example.org' }).WEBHOOK_ALLOW_PRIVATE_TARGETS, String(NODE_ENV)).to.equal(false);
    }
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).to.equal(true);
  });

  it('rejects a wrong setting with one message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /^Invalid setting PORT \(got "eighty"\)/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).to.throw(ConfigError, /DATABASE_URL.*mysql:\/\//);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).to.throw(ConfigError, /JWT_SECRET.*32/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(ConfigError, /LOG_LEVEL/);
  });

  it('has no default JWT secret: without JWT_SECRET the secret comes from the database (signing-secret.test.ts)', () => {
    expect(loadConfig({}).JWT_SECRET).to.equal(undefined);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://labshare.example.org' }).JWT_SECRET).to.equal(undefined);
  });

  it('stops start-up with one clear line, not a stack trace, on a bad setting', () => {
    const { status, stderr } = startServer({ PORT: 'eighty' });
    expect(status).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.match(/Invalid setting PORT/);
    expect(stderr).not.to.match(/\n\s+at /);
  });

  it('says which database is unreachable and how to start it', () => {
    const { status, stderr } = startServer({ DATABASE_URL: 'mysql://root@127.0.0.1:1/labshare' });
    expect(status).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.match(/MariaDB is not reachable at 127\.0\.0\.1:1/).and.match(/Start MariaDB/);
  });

  it('says when Redis is unreachable and how to start it', () => {
    const { status, stderr } = startServer({
      DATABASE_URL: process.env.DATABASE_URL as string,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(status).to.equal(1);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.match(/Redis is not reachable at 127\.0\.0\.1:1/).and.match(/Start Redis/);
  });
});
