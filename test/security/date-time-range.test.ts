// Regressions of the year-0001 freeze and its neighbours, each as the outside review sent it. A DateTime in years
// 0000–0002 sent date-holidays into a loop that never returned (100% CPU, /healthz silent, SIGTERM ignored), so the
// server runs in a process of its own: should it freeze again, these tests fail on a timeout instead of freezing the run.
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { Blackout } from '../../src/db/models';
import { encodeCursor } from '../../src/graphql/pagination';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';
import { bearer } from '../helpers/server';

interface Answer {
  status: number;
  ms: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const RANGE = '1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z';

describe('DateTime range and offsets (regressions of the year-0001 freeze, against a server process)', function () {
  this.timeout(90_000);
  let server: ServerProcess;
  let admin: Record<string, string>;
  let labId: number;
  let instrumentId: number;
  let bookingId: number;

  async function ask(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(5000), // a frozen process never answers
    });
    const body = (await response.json()) as Omit<Answer, 'status' | 'ms'>;
    return { status: response.status, ms: performance.now() - started, ...body };
  }

  /** Refused fast with BAD_USER_INPUT, the message naming the range. */
  function expectRefused(answer: Answer, what: string): void {
    expect(answer.ms, `${what}: answered after ${Math.round(answer.ms)} ms`).to.be.below(1000);
    expect(answer.status, what).to.be.below(500);
    expect(answer.errors?.[0]?.extensions?.code, `${what}: ${JSON.stringify(answer.errors)}`).to.equal('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message, what).to.contain(RANGE);
  }

  before(async () => {
    await resetTables();
    const institution = await makeInstitution({ countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    const user = await makeUser({ institutionId: institution.id, isAdmin: true });
    // China's calendar was one of those that never returned for year 1.
    const lab = await makeLab({ institutionId: institution.id, countryCode: 'CN', timeZone: 'Asia/Shanghai', observesPublicHolidays: true });
    await addMember(user.id, lab.id, 'MANAGER');
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    const instrument = await makeInstrument({ labId: lab.id, maxAdvanceDays: 65_535 });
    const booking = await makeBooking({ instrumentId: instrument.id, userId: user.id, start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z' });
    [labId, instrumentId, bookingId] = [lab.id, instrument.id, booking.id];
    admin = await bearer(user.id);
    server = await startServerProcess();
    await ask('{ __typename }'); // warm up before anything is timed
  });

  after(async () => {
    // SIGKILL: a frozen process ignores SIGTERM (that it stops on SIGTERM is tested below).
    if (server?.child.exitCode === null) await server.stop('SIGKILL');
  });

  it('answers the anonymous free-instrument search in year 0001 with BAD_USER_INPUT within a second', async () => {
    const answer = await ask('{ instruments(filter:{freeFrom:"0001-01-02T00:00:00Z", freeTo:"0001-01-03T00:00:00Z"}) { nodes { id } } }');
    expectRefused(answer, 'instruments');
  });

  it('refuses year 0001 at availability, requestBooking, rescheduleBooking and usageSummary, literal or variable', async () => {
    const from = '0001-01-02T00:00:00Z';
    const to = '0001-01-03T00:00:00Z';
    const calls: Record<string, [string, Record<string, unknown>]> = {
      availability: [`{ availability(instrumentIds: ["${instrumentId}"], from: "${from}", to: "${to}") { free { start } } }`, {}],
      requestBooking: [`mutation { requestBooking(input: { instrumentId: "${instrumentId}", start: "${from}", end: "${to}" }) { errors { code } } }`, {}],
      rescheduleBooking: ['mutation($i: RescheduleBookingInput!) { rescheduleBooking(input: $i) { errors { code } } }', { i: { id: String(bookingId), start: from, end: to } }],
      usageSummary: ['query($l: ID!, $f: DateTime!, $t: DateTime!) { usageSummary(labId: $l, from: $f, to: $t) { totals { openHours } } }', { l: String(labId), f: from, t: to }],
    };
    for (const [name, [query, variables]] of Object.entries(calls)) expectRefused(await ask(query, variables, admin), name);
  });

  it('refuses the offsets +99:99 and +24:00 and accepts the real extremes -12:00 and +14:00', async () => {
    const query = 'query($from: DateTime) { bookings(filter: { from: $from }) { nodes { id } } }';
    for (const from of ['2030-03-05T00:00:00+99:99', '2030-03-05T00:00:00+24:00', '2030-03-05T00:00:00+14:01', '2030-03-05T00:00:00-12:30', '2030-03-05T00:00:00+05:60']) {
      expectRefused(await ask(query, { from }, admin), from);
    }
    for (const from of ['2030-03-05T00:00:00+14:00', '2030-03-04T00:00:00-12:00', '2030-03-05T00:00:00+0545']) {
      const answer = await ask(query, { from }, admin);
      expect(answer.errors, from).to.equal(undefined);
      expect(answer.data?.bookings.nodes, from).to.deep.equal([{ id: String(bookingId) }]);
    }
  });

  it('refuses year 10000 and negative years in filters instead of returning every row', async () => {
    for (const from of ['+010000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '0000-01-01T00:00:00Z']) {
      expectRefused(await ask('query($f: DateTime) { bookings(filter: { from: $f }) { nodes { id } } }', { f: from }, admin), `bookings from ${from}`);
      expectRefused(await ask('query($f: DateTime) { usageLogs(filter: { to: $f }) { nodes { id } } }', { f: from }, admin), `usageLogs to ${from}`);
      expectRefused(await ask(`{ lab(id: "${labId}") { blackouts(from: "${from}") { nodes { id } } } }`, {}, admin), `blackouts from ${from}`);
    }
  });

  it('refuses a blackout at 0000-01-01 (once stored as 2000-01-01) and one reaching year 10000', async () => {
    const add = 'mutation($s: DateTime!, $e: DateTime!) { addBlackout(input: { labId: "%", start: $s, end: $e }) { blackout { id } errors { code } } }'.replace('%', String(labId));
    expectRefused(await ask(add, { s: '0000-01-01T00:00:00Z', e: '0000-01-02T00:00:00Z' }, admin), '0000-01-01');
    expectRefused(await ask(add, { s: '9999-12-31T00:00:00Z', e: '+010000-01-01T00:00:00Z' }, admin), '+010000');
    expect(await Blackout.count()).to.equal(0);
  });

  it('accepts the first and last instants of the range and refuses a millisecond outside either end', async () => {
    const query = 'query($f: DateTime) { bookings(filter: { from: $f }) { nodes { id } } }';
    for (const inside of ['1970-01-01T00:00:00Z', '1970-01-01T07:00:00+07:00', '2199-12-31T23:59:59.999Z']) {
      expect((await ask(query, { f: inside }, admin)).errors, inside).to.equal(undefined);
    }
    for (const outside of ['1969-12-31T23:59:59.999Z', '2200-01-01T00:00:00Z', '2199-12-31T23:59:59.999-00:01']) expectRefused(await ask(query, { f: outside }, admin), outside);
  });

  it('refuses LocalDates outside 1970-01-01..2199-12-31 at Lab.holidays and addClosureDays', async () => {
    const holidays = await ask(`{ lab(id: "${labId}") { holidays(from: "0001-01-01", to: "0001-01-05") { date } } }`, {}, admin);
    expect(holidays.ms).to.be.below(1000);
    expect(holidays.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(holidays.errors?.[0]?.message).to.contain('1970-01-01 to 2199-12-31');
    const closure = await ask('mutation($d: [LocalDate!]!) { addClosureDays(input: { labId: "%", days: $d, reason: "x" }) { days } }'.replace('%', String(labId)), { d: ['2200-01-01'] }, admin);
    expect(closure.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('answers a booking or move spanning 1970 to 2199 with TOO_LONG within a second, without computing its holidays', async () => {
    const span = { s: '1970-01-01T00:00:00Z', e: '2199-12-31T00:00:00Z' };
    const request = await ask(`mutation($s: DateTime!, $e: DateTime!) { requestBooking(input: { instrumentId: "${instrumentId}", start: $s, end: $e }) { errors { code } } }`, span, admin);
    const move = await ask(`mutation($s: DateTime!, $e: DateTime!) { rescheduleBooking(input: { id: "${bookingId}", start: $s, end: $e }) { errors { code } } }`, span, admin);
    for (const answer of [request, move]) {
      expect(answer.ms).to.be.below(1000);
      expect(answer.data).to.satisfy((d: Record<string, any>) => Object.values(d)[0].errors.some((e: { code: string }) => e.code === 'TOO_LONG'));
    }
  });

  it('refuses a cursor whose start lies outside the range instead of sending it to the database', async () => {
    for (const start of ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', 'not a date']) {
      const answer = await ask('query($a: String) { bookings(after: $a) { nodes { id } } }', { a: encodeCursor([start, 1]) }, admin);
      expect(answer.errors?.[0]?.extensions?.code, start).to.equal('BAD_USER_INPUT');
    }
  });

  it('documents the range on the DateTime scalar', async () => {
    const answer = await ask('{ __type(name: "DateTime") { description } }');
    expect(answer.data?.__type.description).to.contain(RANGE).and.to.contain('-12:00 to +14:00');
  });

  it('is still answering /healthz afterwards, and stops on SIGTERM', async () => {
    expect((await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(1000) })).status).to.equal(200);
    const stopped = server.stop('SIGTERM');
    const code = await Promise.race([stopped, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    expect(code).not.to.equal('still running');
  });
});
