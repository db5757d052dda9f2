import { expect } from 'chai';
import mysql from 'mysql2/promise';
import { migrations } from '../../src/db/migrations';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

// A database of its own, created by the processes themselves and dropped after.
const base = new URL(process.env.DATABASE_URL!);
const DATABASE = `${base.pathname.slice(1)}_start`;
// A replica that has not got the database yet: start-up must neither read the applied migrations from it nor wait for it.
const MISSING_REPLICA_DATABASE = `${base.pathname.slice(1)}_start_replica`;
const urlFor = (database: string) => Object.assign(new URL(base.href), { pathname: `/${database}` }).href;

async function adminQuery<T>(sql: string, values: unknown[] = []): Promise<T> {
  const connection = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username || 'root'), password: decodeURIComponent(base.password) });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as T;
  } finally {
    await connection.end();
  }
}

describe('many processes starting at once', function () {
  this.timeout(240_000);
  let servers: ServerProcess[] = [];

  before(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await adminQuery(`DROP DATABASE IF EXISTS \`${MISSING_REPLICA_DATABASE}\``);
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await adminQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  });

  it('ten API processes started together on an empty database all become ready, migrations applied once each, from the primary', async () => {
    const started = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        startServerProcess({ DATABASE_URL: urlFor(DATABASE), DATABASE_REPLICA_URLS: urlFor(MISSING_REPLICA_DATABASE), DATABASE_POOL_MAX: '3' }, { startTimeoutMs: 150_000 })),
    );
    servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    expect(failures).to.deep.equal([]);

    const readiness = await Promise.all(servers.map(async (s) => (await fetch(`${s.url}/readyz`)).status));
    expect(readiness).to.deep.equal(Array(10).fill(200));
    const applied = await adminQuery<{ name: string }[]>(`SELECT name FROM \`${DATABASE}\`.schema_migrations ORDER BY name`);
    expect(applied.map((r) => r.name)).to.deep.equal(migrations.map((m) => m.name));
    // Nothing was created on the "replica": migrations never went there.
    const replica = await adminQuery<unknown[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [MISSING_REPLICA_DATABASE]);
    expect(replica).to.deep.equal([]);
  });
});
