import { expect } from 'chai';
import { DateTime } from 'luxon';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const REQUEST = `mutation($input: RequestBookingSeriesInput!) {
  requestBookingSeries(input: $input) {
    series { id recurrence timeZone mode version start }
    occurrences { start outcome problems { code message field } booking { id status series { id } } }
    errors { code message field } } }`;
const SERIES = `query($id: ID!) {
  bookingSeries(id: $id) { id occurrences { start outcome booking { id } } bookings { id status } calendarFile } }`;

describe('GraphQL API: booking series', () => {
  let server: TestServer;
  let researcher: Record<string, string>;
  let stranger: Record<string, string>;
  let manager: Record<string, string>;
  let instrumentId: number;
  const first = DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ weeks: 1 }).set({ weekday: 3, hour: 14, minute: 0, second: 0, millisecond: 0 });

  before(async () => {
    await resetTables();
    server = await startTestServer();
    const lab = await makeLab({ timeZone: 'Asia/Ho_Chi_Minh', countryCode: 'VN', name: 'Hanoi Structural Biology Lab' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '18:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id, name: 'Rigaku XtaLAB Synergy' })).id;
    researcher = await bearer((await makeUser({ timeZone: 'Asia/Ho_Chi_Minh' })).id);
    stranger = await bearer((await makeUser()).id);
    const managerRow = await makeUser();
    await addMember(managerRow.id, lab.id, 'MANAGER');
    manager = await bearer(managerRow.id);
  });

  after(async () => {
    await server.close();
  });

  it('books a series, links each booking to it and shows it to its booker and the lab manager only', async () => {
    const input = {
      instrumentId: String(instrumentId), start: first.toISO(), end: first.plus({ hours: 2 }).toISO(), recurrence: 'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3',
      mode: 'ALL_OR_NOTHING', purpose: 'Protein crystals, fortnightly',
    };
    const res = await server.gql(REQUEST, { input }, researcher);
    expect(res.errors).to.equal(undefined);
    const payload = res.data!.requestBookingSeries;
    expect(payload.errors).to.deep.equal([]);
    expect(payload.series).to.include({ recurrence: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3', timeZone: 'Asia/Ho_Chi_Minh', mode: 'ALL_OR_NOTHING', version: 1 });
    expect(payload.occurrences.map((o: { outcome: string }) => o.outcome)).to.deep.equal(['BOOKED', 'BOOKED', 'BOOKED']);
    expect(payload.occurrences.map((o: { booking: { series: { id: string } } }) => o.booking.series.id)).to.deep.equal([payload.series.id, payload.series.id, payload.series.id]);
    expect(DateTime.fromISO(payload.occurrences[2].start).toMillis()).to.equal(first.plus({ weeks: 4 }).toMillis());

    const seen = await server.gql(SERIES, { id: payload.series.id }, manager);
    expect(seen.data!.bookingSeries.bookings.map((b: { status: string }) => b.status)).to.deep.equal(['CONFIRMED', 'CONFIRMED', 'CONFIRMED']);
    const ics: string = seen.data!.bookingSeries.calendarFile;
    expect(ics).to.contain('RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3').and.contain(`DTSTART;TZID=Asia/Ho_Chi_Minh:${first.toFormat("yyyyMMdd'T'HHmmss")}`);
    expect((await server.gql(SERIES, { id: payload.series.id }, stranger)).data!.bookingSeries).to.equal(null);
  });

  it("answers an ALL_OR_NOTHING series that does not fit with every occurrence's problem, in the viewer's language", async () => {
    const late = first.plus({ days: 1 }).set({ hour: 17 });
    const input = {
      instrumentId: String(instrumentId), start: late.toISO(), end: late.plus({ hours: 2 }).toISO(), recurrence: 'FREQ=DAILY;COUNT=2', mode: 'ALL_OR_NOTHING',
    };
    const payload = (await server.gql(REQUEST, { input }, researcher)).data!.requestBookingSeries;
    expect(payload.series).to.equal(null);
    expect(payload.errors.map((e: { code: string }) => e.code)).to.deep.equal(['SERIES_NOT_BOOKED']);
    expect(payload.occurrences.map((o: { outcome: string }) => o.outcome)).to.deep.equal(['OUTSIDE_OPENING_HOURS', 'OUTSIDE_OPENING_HOURS']);
    expect(payload.occurrences[0].problems[0]).to.include({ code: 'OUTSIDE_OPENING_HOURS', field: 'start' });
    expect(payload.occurrences[0].problems[0].message).to.be.a('string').and.not.equal('');
  });

  it('refuses an unsupported rule part with a typed error, not a server error', async () => {
    const input = {
      instrumentId: String(instrumentId), start: first.toISO(), end: first.plus({ hours: 1 }).toISO(), recurrence: 'FREQ=HOURLY;COUNT=3', mode: 'SKIP_CONFLICTS',
    };
    const res = await server.gql(REQUEST, { input }, researcher);
    expect(res.errors).to.equal(undefined);
    expect(res.data!.requestBookingSeries.errors).to.deep.equal([{
      code: 'BAD_INPUT', field: 'recurrence', message: 'The recurrence rule part "FREQ=HOURLY" is not supported; use only DAILY, WEEKLY, MONTHLY.',
    }]);
  });
});
