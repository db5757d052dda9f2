// The concurrency proof for multi-resource and recurring bookings: four API processes, groups and series racing
// single bookings (and groups moving while singles keep coming) over the same instruments and spans. Afterwards,
// checked with SQL: no two holding bookings of one instrument overlap (buffers included), every group holds all its
// parts or none, every ALL_OR_NOTHING series holds all its occurrences, and every request was answered with a result
// or coded errors, never a deadlock. Each kind of request is one generator below. (test/booking/series-concurrency.test.ts
// races long weekly series against singles on their own.)
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { config } from '../../src/config';
import type { InstrumentRow } from '../../src/db/rows';
import { resetTables, testDatabase } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

const REQUEST_BOOKING = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code field } } }`;
const REQUEST_GROUP = `mutation($input: RequestBookingGroupInput!) {
  requestBookingGroup(input: $input) { group { id status parts { id instrument { id } status } } errors { code field } } }`;
const REQUEST_SERIES = `mutation($input: RequestBookingSeriesInput!) {
  requestBookingSeries(input: $input) { series { id } occurrences { outcome } errors { code field } } }`;
const RESCHEDULE_GROUP = `mutation($input: RescheduleBookingGroupInput!) {
  rescheduleBookingGroup(input: $input) { group { id parts { id start end } } errors { code field } } }`;
const CANCEL_GROUP = `mutation($input: CancelBookingGroupInput!) { cancelBookingGroup(input: $input) { group { id status } errors { code field } } }`;

/** A small seeded generator: the same race every run, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] };
}

interface Sent {
  kind: string;
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  tokenIndex: number;
}

interface Answer extends Sent {
  status: number;
  body: { data?: Record<string, { errors: { code: string }[] } & Record<string, unknown>>; errors?: unknown[] };
}

describe('booking groups and series under concurrency: 4 API processes', function () {
  this.timeout(300_000);
  let servers: ServerProcess[] = [];
  let tokens: string[];
  let userIds: number[];
  let instruments: InstrumentRow[];
  // Two days from now, from midnight UTC: every lab is open all day, so only conflicts can refuse a request.
  const day = DateTime.utc().plus({ days: 2 }).startOf('day');
  const HALF_HOURS = 48; // the race's window: a day from 00:00 UTC

  before(async () => {
    await resetTables();
    const kunming = await makeLab({ timeZone: 'Asia/Shanghai', countryCode: 'CN' });
    const bangkok = await makeLab({ timeZone: 'Asia/Bangkok' });
    for (const lab of [kunming, bangkok]) await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    const rules = { slotMinutes: 30, minMinutes: 60, maxMinutes: 180, minNoticeMinutes: 0, maxAdvanceDays: 30 };
    instruments = [
      await makeInstrument({ labId: kunming.id, name: 'Krios', ...rules, bufferAfterMinutes: 30 }),
      await makeInstrument({ labId: kunming.id, name: 'Vitrobot', ...rules, bufferAfterMinutes: 0 }),
      await makeInstrument({ labId: bangkok.id, name: 'Prep room', ...rules, bufferAfterMinutes: 30 }),
      await makeInstrument({ labId: bangkok.id, name: 'Glovebox', ...rules, bufferAfterMinutes: 0 }),
    ];
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    userIds = users.map((u) => u.id);
    tokens = await Promise.all(users.map((u) => issueToken(u.id, config())));
    servers = await Promise.all(Array.from({ length: 4 }, () => startServerProcess({}, { startTimeoutMs: 150_000 })));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  let sentCount = 0;
  const send = async (request: Sent): Promise<Answer> => {
    const server = servers[sentCount++ % servers.length];
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[request.tokenIndex % tokens.length]}` },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
    });
    return { ...request, status: response.status, body: (await response.json()) as Answer['body'] };
  };

  const span = (halfHour: number, halfHours: number, days = 0) => ({
    start: day.plus({ days, minutes: 30 * halfHour }).toISO()!,
    end: day.plus({ days, minutes: 30 * (halfHour + halfHours) }).toISO()!,
  });

  /** The generators: each makes one request of its kind. */
  const generators: Record<string, (rng: ReturnType<typeof random>, n: number, days?: number) => Sent> = {
    single: (rng, n, days = 0) => ({
      kind: 'single', operation: 'requestBooking', query: REQUEST_BOOKING, tokenIndex: n,
      variables: { input: { instrumentId: String(rng.pick(instruments).id), ...span(rng.int(HALF_HOURS - 3), 2 + rng.int(2), days), purpose: 'single' } },
    }),
    group: (rng, n) => {
      const chosen = [...instruments].sort(() => rng.next() - 0.5).slice(0, 2 + rng.int(3)); // 2 to 4 instruments, any order
      const first = rng.int(HALF_HOURS - 6);
      return {
        kind: 'group', operation: 'requestBookingGroup', query: REQUEST_GROUP, tokenIndex: n,
        variables: { input: { items: chosen.map((i) => ({ instrumentId: String(i.id), ...span(first + rng.int(3), 2) })), purpose: 'group', idempotencyKey: `race-${n}` } },
      };
    },
    // Daily for two days: the race's day, where singles and groups are, and the next, where only series meet.
    series: (rng, n) => ({
      kind: 'series', operation: 'requestBookingSeries', query: REQUEST_SERIES, tokenIndex: n,
      variables: {
        input: {
          instrumentId: String(rng.pick(instruments).id), ...span(rng.int(HALF_HOURS - 3), 2), recurrence: 'FREQ=DAILY;COUNT=2',
          mode: n % 2 ? 'ALL_OR_NOTHING' : 'SKIP_CONFLICTS', purpose: 'series', idempotencyKey: `race-series-${n}`,
        },
      },
    }),
  };

  const answered = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.errors, JSON.stringify(answer.body)).to.equal(undefined);
    expect(JSON.stringify(answer.body)).not.to.match(/deadlock|try restarting transaction/i);
    const payload = answer.body.data![answer.operation];
    const value = Object.entries(payload).find(([key]) => key !== 'errors')![1];
    // A result or coded errors, never both, never neither.
    expect(Boolean(value) !== payload.errors.length > 0, JSON.stringify(answer.body)).to.equal(true);
    for (const error of payload.errors) expect(error.code).to.be.a('string');
    return payload;
  };

  async function invariants(): Promise<void> {
    const sequelize = await testDatabase();
    const overlapping = await sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM bookings a JOIN bookings b ON a.instrument_id = b.instrument_id AND a.id < b.id
         JOIN instruments i ON i.id = a.instrument_id
        WHERE a.status IN ('PENDING','CONFIRMED') AND b.status IN ('PENDING','CONFIRMED')
          AND a.start_at < DATE_ADD(b.end_at, INTERVAL i.buffer_after_minutes MINUTE)
          AND b.start_at < DATE_ADD(a.end_at, INTERVAL i.buffer_after_minutes MINUTE)`,
      { type: QueryTypes.SELECT },
    );
    expect(Number(overlapping[0].n), 'overlapping holding bookings').to.equal(0);
    const partial = await sequelize.query<{ id: number; parts: number; holding: number }>(
      `SELECT g.id, COUNT(b.id) AS parts, COALESCE(SUM(b.status IN ('PENDING','CONFIRMED')), 0) AS holding
         FROM booking_groups g LEFT JOIN bookings b ON b.group_id = g.id GROUP BY g.id
       HAVING parts < 2 OR (holding > 0 AND holding < parts)`,
      { type: QueryTypes.SELECT },
    );
    expect(partial, 'groups holding some parts but not all (or without parts)').to.deep.equal([]);
    // A series row exists only when something was booked; ALL_OR_NOTHING ones hold every occurrence.
    const partialSeries = await sequelize.query<{ id: number }>(
      `SELECT s.id FROM booking_series s
        WHERE s.mode = 'ALL_OR_NOTHING'
          AND (SELECT COUNT(*) FROM bookings b WHERE b.series_id = s.id AND b.status IN ('PENDING','CONFIRMED'))
              <> (SELECT COUNT(*) FROM booking_series_occurrences o WHERE o.series_id = s.id)`,
      { type: QueryTypes.SELECT },
    );
    expect(partialSeries, 'ALL_OR_NOTHING series holding some occurrences but not all').to.deep.equal([]);
  }

  it('never double-books and books every group and ALL_OR_NOTHING series whole or not at all, with every request answered', async () => {
    const rng = random(20261130);
    const requests: Sent[] = [];
    for (let n = 0; n < 150; n += 1) requests.push((n % 2 ? generators.group : generators.single)(rng, n));
    for (let n = 150; n < 180; n += 1) requests.push(generators.series(rng, n));
    // Retries of the same group with the same key, landing on other processes at once.
    const retried = requests.filter((r) => r.kind === 'group').slice(0, 10);
    const answers = await Promise.all([...requests, ...retried].map(send));
    const payloads = answers.map(answered);

    const groupIdsByKey = new Map<string, Set<string | null>>();
    answers.forEach((answer, i) => {
      if (answer.kind !== 'group') return;
      const key = (answer.variables.input as { idempotencyKey: string }).idempotencyKey;
      const ids = groupIdsByKey.get(key) ?? new Set();
      const group = payloads[i].group as { id: string; parts: { status: string }[] } | null;
      ids.add(group?.id ?? null);
      groupIdsByKey.set(key, ids);
      if (group) expect(group.parts.every((p) => p.status === 'CONFIRMED')).to.equal(true);
      else expect(payloads[i].errors.map((e) => e.code)).to.include('CONFLICT');
    });
    // The same key twice: one group (or, if the first was refused, the retry may have found the room it left).
    for (const key of retried.map((r) => (r.variables.input as { idempotencyKey: string }).idempotencyKey)) {
      expect([...groupIdsByKey.get(key)!].filter((id) => id !== null).length, key).to.be.at.most(1);
    }
    const groupsBooked = new Set(answers.flatMap((a, i) => (a.kind === 'group' && payloads[i].group ? [(payloads[i].group as { id: string }).id] : [])));
    expect(groupsBooked.size, 'some groups got through').to.be.greaterThan(0);
    expect(answers.filter((a, i) => a.kind === 'group' && !payloads[i].group).length, 'some groups were refused').to.be.greaterThan(0);

    const sequelize = await testDatabase();
    const [{ n: groupsInDatabase }] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_groups', { type: QueryTypes.SELECT });
    expect(Number(groupsInDatabase)).to.equal(groupsBooked.size);
    const seriesAnswers = answers.filter((a) => a.kind === 'series').map((a) => a.body.data!.requestBookingSeries as { series: { id: string } | null; occurrences: { outcome: string }[]; errors: { code: string }[] });
    expect(seriesAnswers.filter((a) => a.series).length, 'some series got through').to.be.greaterThan(0);
    for (const a of seriesAnswers) {
      if (!a.series) expect(a.errors.map((e) => e.code)).to.include('SERIES_NOT_BOOKED');
    }
    await invariants();
  });

  it('moves and cancels groups while single requests race them, keeping every invariant', async () => {
    const sequelize = await testDatabase();
    const groups = await sequelize.query<{ id: number; user_id: number }>('SELECT id, user_id FROM booking_groups ORDER BY id', { type: QueryTypes.SELECT });
    const tokenOf = new Map(userIds.map((id, i) => [id, i]));
    const rng = random(7);
    const requests: Sent[] = groups.map((g, n) => (n % 4 === 3
      ? { kind: 'cancel', operation: 'cancelBookingGroup', query: CANCEL_GROUP, tokenIndex: tokenOf.get(g.user_id)!, variables: { input: { id: String(g.id) } } }
      : {
        kind: 'move', operation: 'rescheduleBookingGroup', query: RESCHEDULE_GROUP, tokenIndex: tokenOf.get(g.user_id)!,
        // Two days on, where the singles below race them for the same spans; the first to free time nobody asks for.
        variables: { input: { id: String(g.id), shiftMinutes: n === 0 ? 5 * 1440 : 2 * 1440 + rng.pick([-60, -30, 0, 30, 60]) } },
      }));
    for (let n = 0; n < 30; n += 1) requests.push(generators.single(rng, 1000 + n, 2));
    const answers = await Promise.all(requests.map(send));
    const payloads = answers.map(answered);
    expect(answers.filter((a, i) => a.kind === 'move' && payloads[i].group).length, 'some groups moved').to.be.greaterThan(0);
    expect(answers.filter((a, i) => a.kind === 'cancel' && payloads[i].group).length, 'cancelled groups').to.equal(requests.filter((r) => r.kind === 'cancel').length);
    await invariants();
  });
});
