// The booking invariant on a 3-node MariaDB Galera cluster: two API processes, each writing through a different
// node, race for the same slots. Galera certifies each commit cluster-wide; a loser gets a deadlock error, which the
// transaction runner retries like any deadlock, so clients see only bookings and CONFLICTs, never an overlap.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import mysql from 'mysql2/promise';
import type { Sequelize } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { config, type Config } from '../../src/config';
import { createSequelize, ensureDatabase, migrate } from '../../src/db/database';
import { testDatabase } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startPrivateGalera, type PrivateGalera } from '../helpers/private-galera';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

const DATABASE = 'labshare_test_galera';
const MUTATION = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } errors { code } }
}`;

describe('booking on a 3-node Galera cluster: two API processes on two nodes', function () {
  this.timeout(180_000);
  let galera: PrivateGalera;
  let sequelize: Sequelize;
  let servers: ServerProcess[] = [];
  let instrumentId: number;
  let tokens: string[];
  const day = DateTime.utc().plus({ days: 3 }).startOf('day');

  before(async () => {
    await testDatabase(); // loads the signing secret before the models are bound to the cluster
    galera = await startPrivateGalera(3);
    const cfg: Config = { ...config(), DATABASE_URL: `${galera.nodes[0].url}/${DATABASE}` };
    // As the README says for Galera: migrate once through one node (npm run migrate), then start the processes.
    await ensureDatabase(cfg.DATABASE_URL);
    sequelize = createSequelize(cfg); // binds the models to the cluster until after()
    await migrate(sequelize);
    const lab = await makeLab({ timeZone: 'Asia/Manila' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id, slotMinutes: 60, minMinutes: 60, maxMinutes: 120 })).id;
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    tokens = await Promise.all(users.map((u) => issueToken(u.id, cfg)));
    servers = await Promise.all([0, 1].map((i) => startServerProcess({ DATABASE_URL: `${galera.nodes[i].url}/${DATABASE}` }, { startTimeoutMs: 90_000 })));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await sequelize?.close();
    await galera?.stop();
    await testDatabase(); // binds the models back to the shared test database
  });

  it('never double-books when both nodes take requests for the same slots at once', async () => {
    const SLOTS = 12;
    const requests = Array.from({ length: 144 }, (_, i) => {
      const slot = (i * 5) % SLOTS;
      return { instrumentId: String(instrumentId), start: day.plus({ hours: slot }).toISO()!, end: day.plus({ hours: slot + 1 }).toISO()! };
    });
    const responses = await Promise.all(requests.map(async (input, i) => {
      const response = await fetch(`${servers[i % 2].url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
        body: JSON.stringify({ query: MUTATION, variables: { input } }),
      });
      return { status: response.status, body: (await response.json()) as { data?: { requestBooking: { booking: unknown; errors: { code: string }[] } }; errors?: unknown } };
    }));
    // Every answer is a booking or a CONFLICT: certification failures were retried, never shown.
    for (const response of responses) {
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      const payload = response.body.data!.requestBooking;
      if (!payload.booking) expect(payload.errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
    }
    // The race reached the cluster: commits that lost certification were retried, and /metrics counts them.
    const retried = await Promise.all(servers.map(async (s) =>
      Number(/^labshare_transaction_retries_total\{reason="deadlock"\} (\d+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0)));
    expect(retried[0] + retried[1]).to.be.greaterThan(0);
    const booked = responses.filter((r) => r.body.data!.requestBooking.booking).length;
    expect(booked).to.equal(SLOTS);

    // Read on the third node, after it has applied everything committed before (wsrep_sync_wait).
    const third = await mysql.createConnection({ host: '127.0.0.1', port: galera.nodes[2].port, user: 'root', database: DATABASE });
    try {
      await third.query('SET SESSION wsrep_sync_wait = 1');
      const [[{ bookings }]] = (await third.query("SELECT COUNT(*) AS bookings FROM bookings WHERE status <> 'CANCELLED'")) as unknown as [[{ bookings: number }]];
      expect(Number(bookings)).to.equal(SLOTS);
      const [overlaps] = await third.query(
        `SELECT a.id FROM bookings a JOIN bookings b ON a.instrument_id = b.instrument_id AND a.id < b.id
         AND a.start_at < b.end_at AND b.start_at < a.end_at WHERE a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'`,
      );
      expect(overlaps).to.deep.equal([]);
    } finally {
      await third.end();
    }
  });
});
