// A real primary and replica (two private mariadbd, binlog + GTID replication) behind one API. With the replica
// stopped, a person sees and their manager approves what they just booked, and that person's free/busy right after
// booking comes from the primary (read your writes), while someone else's still comes from the lagging replica. With
// the replica running, free/busy reads, catalogue listings and usage reports show up in its general log (and the
// latter two never in the primary's), and the app never writes to it.
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import type { Sequelize } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { fixedClock } from '../../src/clock';
import { config } from '../../src/config';
import { createSequelize, ensureDatabase, migrate } from '../../src/db/database';
import { initModels } from '../../src/db/models';
import { connectRedis } from '../../src/redis';
import { testDatabase } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startPrivateMariaDb, type PrivateMariaDb } from '../helpers/private-mariadb';
import { startTestServer, type TestServer } from '../helpers/server';

const DATABASE = 'labshare_ryw_replicated';
const FREE_BUSY_SQL = 'SELECT id, instrument_id, user_id, idempotency_key, start_at, end_at FROM bookings';
const REQUEST = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status version } errors { code } }
}`;
const AVAILABILITY = 'query($id: ID!) { availability(instrumentIds: [$id], from: "2026-12-03T00:00:00Z", to: "2026-12-04T00:00:00Z") { busy { start end } } }';

describe('primary and replica: read your writes on real replication', function () {
  this.timeout(90_000);
  let primary: PrivateMariaDb | undefined;
  let replica: PrivateMariaDb | undefined;
  let primaryAdmin: mysql.Connection;
  let replicaAdmin: mysql.Connection;
  let sequelize: Sequelize | undefined;
  let server: TestServer | undefined;
  /** A second API process on the same databases and Redis: the booker's next request may land on either. */
  let otherServer: TestServer | undefined;
  let instrumentId: number;
  let labId: number;
  let asResearcher: Record<string, string>;
  let asManager: Record<string, string>;
  let asOther: Record<string, string>;

  /** Waits until the replica has applied everything the primary has committed. */
  async function caughtUp(): Promise<void> {
    const [[{ pos }]] = (await primaryAdmin.query('SELECT @@gtid_binlog_pos AS pos')) as any;
    const [[{ waited }]] = (await replicaAdmin.query('SELECT MASTER_GTID_WAIT(?, 30) AS waited', [pos])) as any;
    expect(waited, 'replica caught up within 30 s').to.equal(0);
  }

  /** The replica's clock now: replicaStatements(since) lists what came after. */
  async function logMark(admin = replicaAdmin): Promise<string> {
    const [[{ now }]] = (await admin.query("SELECT DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f') AS now")) as any;
    return now;
  }

  /** Statements the app sent to the replica since `since` (default: since the general log was turned on). */
  async function replicaStatements(since = '1970-01-02', admin = replicaAdmin): Promise<string[]> {
    const [rows] = (await admin.query(
      "SELECT CONVERT(argument USING utf8mb4) AS sql_text FROM mysql.general_log WHERE command_type IN ('Query', 'Execute') AND thread_id <> CONNECTION_ID() AND event_time > ?",
      [since],
    )) as any;
    return rows.map((r: { sql_text: string }) => r.sql_text);
  }

  before(async () => {
    await testDatabase(); // loads the signing secret the API verifies tokens with
    [primary, replica] = await Promise.all([
      startPrivateMariaDb({ args: ['--log-bin=primary-bin', '--server-id=1', '--binlog-format=ROW', '--log-slave-updates=OFF'] }),
      startPrivateMariaDb({ args: ['--log-bin=replica-bin', '--server-id=2', '--log-slave-updates=OFF'] }),
    ]);
    primaryAdmin = await mysql.createConnection({ host: '127.0.0.1', port: primary.port, user: 'root' });
    replicaAdmin = await mysql.createConnection({ host: '127.0.0.1', port: replica.port, user: 'root' });
    await primaryAdmin.query("CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl'");
    await primaryAdmin.query("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'");
    await replicaAdmin.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos`,
    );
    await replicaAdmin.query('START SLAVE');

    const primaryUrl = `${primary.url}/${DATABASE}`;
    const replicaUrl = `${replica.url}/${DATABASE}`;
    await ensureDatabase(primaryUrl);
    const cfg = { ...config(), DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: replicaUrl };
    sequelize = createSequelize(cfg);
    await migrate(sequelize);
    initModels(sequelize);

    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    labId = lab.id;
    await setHours({ labId }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId, requiresApproval: true, slotMinutes: 60, minMinutes: 60 })).id;
    const researcher = await makeUser();
    const other = await makeUser();
    const manager = await makeUser();
    await addMember(manager.id, labId, 'MANAGER');
    asResearcher = { authorization: `Bearer ${await issueToken(researcher.id, cfg)}` };
    asManager = { authorization: `Bearer ${await issueToken(manager.id, cfg)}` };
    asOther = { authorization: `Bearer ${await issueToken(other.id, cfg)}` };
    // Markers left by an earlier run (same user ids, same Redis) would send everyone's reads to the primary.
    const redis = await connectRedis(cfg.REDIS_URL);
    await redis.del(...[researcher, other, manager].map((u) => `${cfg.QUEUE_PREFIX}:recent-writer:${u.id}`));
    redis.disconnect();
    await caughtUp();
    for (const admin of [replicaAdmin, primaryAdmin]) {
      await admin.query("SET GLOBAL log_output = 'TABLE'");
      await admin.query('SET GLOBAL general_log = 1');
    }

    server = await startTestServer({ sequelize, clock: fixedClock('2026-12-01T00:00:00Z'), cfg });
    otherServer = await startTestServer({ sequelize, clock: fixedClock('2026-12-01T00:00:00Z'), cfg });
  });

  after(async () => {
    await server?.close();
    await otherServer?.close();
    await sequelize?.close();
    await primaryAdmin?.end().catch(() => undefined);
    await replicaAdmin?.end().catch(() => undefined);
    await Promise.all([primary?.stop(), replica?.stop()]);
    await testDatabase(); // binds the models back
  });

  it('with the replica running, serves free/busy from the replica', async () => {
    const since = await logMark();
    const res = await server!.gql(AVAILABILITY, { id: String(instrumentId) }, asOther);
    expect(res.errors).to.equal(undefined);
    expect(res.data?.availability[0].busy).to.deep.equal([]);
    expect((await replicaStatements(since)).some((sql) => sql.startsWith(FREE_BUSY_SQL))).to.equal(true);
  });

  it('with the replica running, serves catalogue listings and usage reports from the replica and not the primary', async () => {
    const since = { replica: await logMark(), primary: await logMark(primaryAdmin) };
    const catalogue = await server!.gql(
      '{ institutions { nodes { id } } labs { nodes { id } } instruments(filter: { search: "a" }) { nodes { id } } }',
      {},
      asOther,
    );
    expect(catalogue.errors).to.equal(undefined);
    expect(catalogue.data?.instruments.nodes).to.deep.equal([{ id: String(instrumentId) }]);
    const usage = await server!.gql(
      `query($lab: ID!) {
        usageSummary(labId: $lab, from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", groupBy: INSTITUTION) { totals { bookings } }
        usageLogs(filter: { labId: $lab }) { nodes { id } }
      }`,
      { lab: String(labId) },
      asManager,
    );
    expect(usage.errors).to.equal(undefined);
    expect(usage.data?.usageSummary.totals.bookings).to.equal(0);

    // Sequelize's SELECTs of these models (sent by our pools on a replica) and the usage aggregate.
    const reads = [
      /FROM `institutions` AS `Institution`/, /FROM `labs` AS `Lab`/, /FROM `instruments` AS `Instrument`/,
      /FROM `usage_logs` AS `UsageLog`/, /FROM usage_logs u JOIN institutions i/,
    ];
    const onReplica = await replicaStatements(since.replica);
    const onPrimary = await replicaStatements(since.primary, primaryAdmin);
    for (const read of reads) {
      expect(onReplica.some((sql) => read.test(sql)), `${read} on the replica`).to.equal(true);
      expect(onPrimary.filter((sql) => read.test(sql)), `${read} not on the primary`).to.deep.equal([]);
    }
  });

  it('with the replica stopped, shows a new booking to its booker and manager at once and its busy time to the booker only', async () => {
    await replicaAdmin.query('STOP SLAVE');
    const since = await logMark();
    const requested = await server!.gql(REQUEST, { input: { instrumentId: String(instrumentId), start: '2026-12-03T09:00:00+07:00', end: '2026-12-03T10:00:00+07:00' } }, asResearcher);
    expect(requested.data?.requestBooking.errors).to.deep.equal([]);
    const { id } = requested.data!.requestBooking.booking;

    const own = await server!.gql('query($id: ID!) { booking(id: $id) { id status } }', { id }, asResearcher);
    expect(own.data?.booking).to.deep.equal({ id, status: 'PENDING' });
    const mine = await server!.gql('{ myBookings { nodes { id } } }', {}, asResearcher);
    expect(mine.data?.myBookings.nodes).to.deep.equal([{ id }]);
    const pending = await server!.gql('query($lab: ID!) { pendingApprovals(labId: $lab) { nodes { id } } }', { lab: String(labId) }, asManager);
    expect(pending.data?.pendingApprovals.nodes).to.deep.equal([{ id }]);

    // The booker wrote a moment ago (through the other API process): their free/busy comes from the primary ...
    const forBooker = await otherServer!.gql(AVAILABILITY, { id: String(instrumentId) }, asResearcher);
    expect(forBooker.data?.availability[0].busy).to.deep.equal([{ start: '2026-12-03T09:00:00+07:00', end: '2026-12-03T10:00:00+07:00' }]);
    // So does their catalogue listing.
    const listed = await otherServer!.gql('{ institutions { nodes { id } } }', {}, asResearcher);
    expect(listed.data?.institutions.nodes).to.have.length.greaterThan(0);
    const afterBooker = await logMark();
    expect((await replicaStatements(since)).some((sql) => sql.startsWith(FREE_BUSY_SQL)), 'the booker read the primary').to.equal(false);
    expect((await replicaStatements(since)).some((sql) => /FROM `institutions` AS `Institution`/.test(sql)), 'the booker listed from the primary').to.equal(false);
    // ... someone else's comes from the stopped replica, which has not got it yet (the staleness replicas allow).
    const forOther = await server!.gql(AVAILABILITY, { id: String(instrumentId) }, asOther);
    expect(forOther.data?.availability[0].busy).to.deep.equal([]);
    expect((await replicaStatements(afterBooker)).some((sql) => sql.startsWith(FREE_BUSY_SQL)), 'the other person read the replica').to.equal(true);

    const approve = 'mutation($input: DecideBookingInput!) { approveBooking(input: $input) { booking { status } errors { code } } }';
    const approved = await server!.gql(approve, { input: { id, version: 1 } }, asManager);
    expect(approved.data?.approveBooking).to.deep.equal({ booking: { status: 'CONFIRMED' }, errors: [] });

    await replicaAdmin.query('START SLAVE');
    await caughtUp();
    const [[row]] = (await replicaAdmin.query(`SELECT status FROM ${DATABASE}.bookings`)) as any;
    expect(row).to.deep.equal({ status: 'CONFIRMED' });
  });

  it('never writes to the replica', async () => {
    // The general log (kept since before the first test) has no write from the app, and the replica's own binlog
    // (replicated changes are not logged there: log-slave-updates is off) has no transaction that began on it.
    const writes = (await replicaStatements()).filter((sql) => /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP)\b/i.test(sql));
    expect(writes).to.deep.equal([]);
    const [[{ pos }]] = (await replicaAdmin.query('SELECT @@gtid_binlog_pos AS pos')) as any;
    expect(pos, 'no transaction originated on the replica').to.equal('');
  });
});
