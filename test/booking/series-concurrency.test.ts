// Series racing single bookings on one instrument, through four separate API processes on one MariaDB.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { config } from '../../src/config';
import { resetTables, testDatabase } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

const SINGLE = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } errors { code } } }`;
const SERIES = `mutation($input: RequestBookingSeriesInput!) {
  requestBookingSeries(input: $input) { series { id } occurrences { outcome booking { id } } errors { code } }
}`;
const BUFFER_MINUTES = 30;
const WEEKS = 8;

describe('booking series under concurrency: 4 API processes', function () {
  this.timeout(480_000);
  let servers: ServerProcess[] = [];
  let instrumentId: number;
  let tokens: string[];
  const day = DateTime.utc().plus({ days: 3 }).startOf('day');

  before(async () => {
    await resetTables();
    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({
      labId: lab.id, name: 'Hot diffractometer', slotMinutes: 30, minMinutes: 30, maxMinutes: 240, minNoticeMinutes: 0, maxAdvanceDays: 120,
      bufferAfterMinutes: BUFFER_MINUTES,
    })).id;
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    tokens = await Promise.all(users.map((u) => issueToken(u.id, config())));
    // Four processes starting at once on a loaded 2-core machine can take minutes.
    servers = await Promise.all(Array.from({ length: 4 }, () => startServerProcess({}, { startTimeoutMs: 240_000 })));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const send = (i: number, query: string, input: Record<string, unknown>, tokenIndex = i) =>
    fetch(`${servers[i % servers.length].url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[tokenIndex % tokens.length]}` },
      body: JSON.stringify({ query, variables: { input } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('never double-books, books every ALL_OR_NOTHING series fully or not at all, and creates a retried series once', async () => {
    const span = (start: DateTime, hours = 1) => ({ instrumentId: String(instrumentId), start: start.toISO()!, end: start.plus({ hours }).toISO()! });
    const series = Array.from({ length: 16 }, (_, k) => ({
      ...span(day.plus({ hours: 2 * (k % 5) })), recurrence: `FREQ=WEEKLY;COUNT=${WEEKS}`,
      mode: k % 2 === 0 ? 'ALL_OR_NOTHING' : 'SKIP_CONFLICTS', idempotencyKey: `race-${k}`,
    }));
    const singles = Array.from({ length: 120 }, (_, j) => span(day.plus({ weeks: j % WEEKS, hours: (j * 3) % 10 })));
    // One series retried on every process at once, on hours nobody else asks for.
    const retried = { ...span(day.plus({ hours: 16 })), recurrence: `FREQ=WEEKLY;COUNT=${WEEKS}`, mode: 'ALL_OR_NOTHING', idempotencyKey: 'retry-storm' };

    const sends = [
      ...series.map((input, k) => ({ kind: 'series' as const, input, p: send(k, SERIES, input, k) })),
      ...singles.map((input, j) => ({ kind: 'single' as const, input, p: send(j, SINGLE, input, j) })),
      ...Array.from({ length: 8 }, (_, r) => ({ kind: 'retry' as const, input: retried, p: send(r, SERIES, retried, 0) })),
    ];
    // Interleave so series and singles reach the processes together.
    sends.sort((a, b) => (a.input.start < b.input.start ? -1 : a.input.start > b.input.start ? 1 : 0));
    const answers = await Promise.all(sends.map(async (s) => ({ ...s, response: await s.p })));

    for (const { kind, response } of answers) {
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      expect(response.body.errors, JSON.stringify(response.body)).to.equal(undefined);
      if (kind === 'single') {
        const { booking, errors } = response.body.data.requestBooking;
        expect(Boolean(booking) !== (errors.length > 0)).to.equal(true);
        if (!booking) expect(errors.map((e: { code: string }) => e.code)).to.deep.equal(['CONFLICT']);
      } else {
        const { series: made, errors } = response.body.data.requestBookingSeries;
        expect(Boolean(made) !== (errors.length > 0)).to.equal(true);
        if (!made) expect(errors.map((e: { code: string }) => e.code)).to.deep.equal(['SERIES_NOT_BOOKED']);
      }
    }

    const sequelize = await testDatabase();
    const [overlaps] = await sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
         ON a.instrument_id = b.instrument_id AND a.id < b.id
        AND a.start_at < b.end_at + INTERVAL ${BUFFER_MINUTES} MINUTE AND b.start_at < a.end_at + INTERVAL ${BUFFER_MINUTES} MINUTE
        WHERE a.status IN ('PENDING','CONFIRMED') AND b.status IN ('PENDING','CONFIRMED')`,
      { type: QueryTypes.SELECT },
    );
    expect(Number(overlaps.n)).to.equal(0);

    // Every ALL_OR_NOTHING request: a series with all its occurrences booked and holding, or no series and no booking.
    const allOrNothing = await sequelize.query<{ key: string; series: number | null; booked: number; occurrences: number }>(
      `SELECT k.idempotency_key AS \`key\`, s.id AS series,
              (SELECT COUNT(*) FROM bookings b WHERE b.series_id = s.id AND b.status IN ('PENDING','CONFIRMED')) AS booked,
              (SELECT COUNT(*) FROM booking_series_occurrences o WHERE o.series_id = s.id) AS occurrences
         FROM (SELECT ? AS idempotency_key ${series.filter((s) => s.mode === 'ALL_OR_NOTHING').slice(1).map(() => 'UNION ALL SELECT ?').join(' ')}) k
         LEFT JOIN booking_series s ON s.idempotency_key = k.idempotency_key`,
      { type: QueryTypes.SELECT, replacements: series.filter((s) => s.mode === 'ALL_OR_NOTHING').map((s) => s.idempotencyKey) },
    );
    expect(allOrNothing).to.have.length(8);
    for (const row of allOrNothing) {
      if (row.series === null) expect(Number(row.booked), row.key).to.equal(0);
      else expect([Number(row.booked), Number(row.occurrences)], row.key).to.deep.equal([WEEKS, WEEKS]);
    }
    const answeredAon = answers.filter((a) => a.kind === 'series' && a.input.mode === 'ALL_OR_NOTHING');
    expect(answeredAon.filter((a) => a.response.body.data.requestBookingSeries.series).length).to.equal(allOrNothing.filter((r) => r.series !== null).length);

    // The retried series: one series, eight bookings, the same id in every answer.
    const retryIds = new Set(answers.filter((a) => a.kind === 'retry').map((a) => a.response.body.data.requestBookingSeries.series?.id));
    expect([...retryIds]).to.have.length(1);
    const [retriedRows] = await sequelize.query<{ series: number; bookings: number }>(
      `SELECT COUNT(DISTINCT s.id) AS series, COUNT(b.id) AS bookings FROM booking_series s LEFT JOIN bookings b ON b.series_id = s.id
        WHERE s.idempotency_key = 'retry-storm'`,
      { type: QueryTypes.SELECT },
    );
    expect([Number(retriedRows.series), Number(retriedRows.bookings)]).to.deep.equal([1, WEEKS]);
  });
});
