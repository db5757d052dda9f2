import { expect } from 'chai';
import { fixedClock } from '../../src/clock';
import { Blackout } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { WEEKDAYS, makeBooking, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const SEARCH = `query($filter: InstrumentFilter, $first: Int, $after: String) {
  instruments(filter: $filter, first: $first, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }
}`;

describe('instruments free for a while (free-window filter)', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  const names: Record<string, string> = {};
  // "Next week" as seen on Tuesday 1 December 2026: Monday 7 to Monday 14 December, Bangkok time.
  const nextWeek = { country: 'TH', category: 'mass-spectrometer', freeFrom: '2026-12-07T00:00:00+07:00', freeTo: '2026-12-14T00:00:00+07:00', minMinutes: 180 };

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const user = await makeUser();
    auth = await bearer(user.id);
    const bangkok = await makeLab({ countryCode: 'TH', timeZone: 'Asia/Bangkok' });
    await setHours({ labId: bangkok.id }, [{ weekdays: WEEKDAYS, from: '09:00', to: '17:00' }]);
    const hanoi = await makeLab({ countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    await setHours({ labId: hanoi.id }, [{ weekdays: WEEKDAYS, from: '09:00', to: '17:00' }]);
    const make = async (key: string, attrs: Parameters<typeof makeInstrument>[0]) => {
      const row = await makeInstrument({ name: key, ...attrs });
      names[row.id] = key;
      return row;
    };
    await make('free-1', { labId: bangkok.id });
    const shortDays = await make('two-hours-a-day', { labId: bangkok.id });
    await setHours({ labId: bangkok.id, instrumentId: shortDays.id }, [{ weekdays: WEEKDAYS, from: '09:00', to: '11:00' }]);
    await make('free-2', { labId: bangkok.id });
    await make('short-bookings-only', { labId: bangkok.id, maxMinutes: 120 });
    await make('under-maintenance', { labId: bangkok.id, status: 'MAINTENANCE' });
    const blackedOut = await make('blacked-out', { labId: bangkok.id });
    await Blackout.create({ labId: bangkok.id, instrumentId: blackedOut.id, startAt: new Date('2026-12-06T00:00:00Z'), endAt: new Date('2026-12-15T00:00:00Z') });
    const busy = await make('booked-solid', { labId: bangkok.id });
    // Bookings leave at most 2.5 free hours in a row on each weekday.
    for (let day = 7; day <= 11; day++) {
      const d = String(day).padStart(2, '0');
      await makeBooking({ instrumentId: busy.id, userId: user.id, start: `2026-12-${d}T11:30:00+07:00`, end: `2026-12-${d}T14:30:00+07:00` });
    }
    await make('free-3', { labId: bangkok.id });
    await make('nmr-free', { labId: bangkok.id, category: 'nmr' });
    await make('vietnam-free', { labId: hanoi.id });
  });

  after(async () => {
    await server.close();
  });

  const found = (res: { data?: Record<string, any> }) => (res.data?.instruments.nodes as { id: string }[]).map((n) => names[n.id]);

  it('answers "which mass spectrometers in Thailand are free for 3 hours next week" in one query', async () => {
    const res = await server.gql(SEARCH, { filter: nextWeek, first: 20 }, auth);
    expect(res.errors).to.equal(undefined);
    expect(found(res)).to.deep.equal(['free-1', 'free-2', 'free-3']);
    expect(res.data?.instruments.pageInfo.hasNextPage).to.equal(false);
  });

  it('pages through the matches without skipping or repeating one', async () => {
    const first = await server.gql(SEARCH, { filter: nextWeek, first: 2 }, auth);
    expect(found(first)).to.deep.equal(['free-1', 'free-2']);
    expect(first.data?.instruments.pageInfo.hasNextPage).to.equal(true);
    const second = await server.gql(SEARCH, { filter: nextWeek, first: 2, after: first.data?.instruments.pageInfo.endCursor }, auth);
    expect(found(second)).to.deep.equal(['free-3']);
    expect(second.data?.instruments.pageInfo.hasNextPage).to.equal(false);
  });

  it("uses each instrument's own minimum when no minMinutes is given", async () => {
    const { minMinutes: _drop, ...withoutMin } = nextWeek;
    const res = await server.gql(SEARCH, { filter: withoutMin, first: 20 }, auth);
    expect(found(res)).to.deep.equal(['free-1', 'two-hours-a-day', 'free-2', 'short-bookings-only', 'booked-solid', 'free-3']);
  });

  it('takes the minimum notice into account: nothing is free in a window that is already past', async () => {
    const res = await server.gql(SEARCH, { filter: { ...nextWeek, freeFrom: '2026-11-23T00:00:00+07:00', freeTo: '2026-11-30T00:00:00+07:00' }, first: 20 }, auth);
    expect(found(res)).to.deep.equal([]);
  });

  it('refuses a free window without both ends, longer than 62 days or backwards', async () => {
    const code = async (filter: Record<string, unknown>) => (await server.gql(SEARCH, { filter, first: 5 }, auth)).errors?.[0].extensions?.code;
    expect(await code({ freeFrom: nextWeek.freeFrom })).to.equal('BAD_USER_INPUT');
    expect(await code({ minMinutes: 60 })).to.equal('BAD_USER_INPUT');
    expect(await code({ freeFrom: nextWeek.freeFrom, freeTo: '2027-03-01T00:00:00+07:00' })).to.equal('BAD_USER_INPUT');
    expect(await code({ freeFrom: nextWeek.freeTo, freeTo: nextWeek.freeFrom })).to.equal('BAD_USER_INPUT');
    expect(await code({ ...nextWeek, minMinutes: 0 })).to.equal('BAD_USER_INPUT');
  });
});
