import { expect } from 'chai';
import { createApiKey } from '../../src/access/api-keys';
import { fixedClock } from '../../src/clock';
import { Blackout } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeBooking, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const QUERY = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!, $min: Int) {
  availability(instrumentIds: $ids, from: $from, to: $to, minMinutes: $min) {
    instrumentId labTimeZone status
    free { start end }
    busy { start end kind }
  }
}`;

const spans = (list: { start: string; end: string }[]) => list.map((s) => `${s.start}/${s.end}`);

describe('availability API', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  let instrumentId: string;
  // Thursday 3 December 2026 in the lab's zone (Asia/Bangkok, +07:00).
  const day = { ids: [] as string[], from: '2026-12-03T00:00:00+07:00', to: '2026-12-04T00:00:00+07:00' };

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const booker = await makeUser({ name: 'Somchai Booker', email: 'somchai@booker.test' });
    const reader = await makeUser({ timeZone: 'Asia/Shanghai' });
    auth = await bearer(reader.id);
    const lab = await makeLab({ timeZone: 'Asia/Bangkok', countryCode: 'TH' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '09:00', to: '17:00' }]);
    const instrument = await makeInstrument({ labId: lab.id, bufferAfterMinutes: 30 });
    instrumentId = String(instrument.id);
    day.ids = [instrumentId];
    // 10:00–12:00 Bangkok, plus 30 minutes of buffer after it (and no new booking may end inside 09:30–10:00).
    await makeBooking({ instrumentId: instrument.id, userId: booker.id, start: '2026-12-03T10:00:00+07:00', end: '2026-12-03T12:00:00+07:00', purpose: 'secret compound X' });
    await makeBooking({ instrumentId: instrument.id, userId: booker.id, start: '2026-12-03T16:00:00+07:00', end: '2026-12-03T17:00:00+07:00', status: 'CANCELLED' });
    await Blackout.create({ labId: lab.id, kind: 'MAINTENANCE', reason: 'Dr. Lee recalibrates', startAt: new Date('2026-12-03T07:00:00Z'), endAt: new Date('2026-12-03T08:00:00Z') });
  });

  after(async () => {
    await server.close();
  });

  it('renders the same free and busy time in Asia/Shanghai, Asia/Yangon and Europe/Berlin', async () => {
    const expected: Record<string, { free: string[]; busy: string[] }> = {
      'Asia/Shanghai': {
        free: ['2026-12-03T10:00:00+08:00/2026-12-03T10:30:00+08:00', '2026-12-03T13:30:00+08:00/2026-12-03T15:00:00+08:00', '2026-12-03T16:00:00+08:00/2026-12-03T18:00:00+08:00'],
        busy: ['2026-12-03T11:00:00+08:00/2026-12-03T13:30:00+08:00', '2026-12-03T15:00:00+08:00/2026-12-03T16:00:00+08:00'],
      },
      'Asia/Yangon': {
        free: ['2026-12-03T08:30:00+06:30/2026-12-03T09:00:00+06:30', '2026-12-03T12:00:00+06:30/2026-12-03T13:30:00+06:30', '2026-12-03T14:30:00+06:30/2026-12-03T16:30:00+06:30'],
        busy: ['2026-12-03T09:30:00+06:30/2026-12-03T12:00:00+06:30', '2026-12-03T13:30:00+06:30/2026-12-03T14:30:00+06:30'],
      },
      'Europe/Berlin': {
        free: ['2026-12-03T03:00:00+01:00/2026-12-03T03:30:00+01:00', '2026-12-03T06:30:00+01:00/2026-12-03T08:00:00+01:00', '2026-12-03T09:00:00+01:00/2026-12-03T11:00:00+01:00'],
        busy: ['2026-12-03T04:00:00+01:00/2026-12-03T06:30:00+01:00', '2026-12-03T08:00:00+01:00/2026-12-03T09:00:00+01:00'],
      },
    };
    for (const [zone, want] of Object.entries(expected)) {
      const res = await server.gql(QUERY, day, { ...auth, 'x-time-zone': zone });
      expect(res.errors, zone).to.equal(undefined);
      const [entry] = res.data!.availability;
      expect(entry.labTimeZone).to.equal('Asia/Bangkok');
      expect(spans(entry.free), zone).to.deep.equal(want.free);
      expect(spans(entry.busy), zone).to.deep.equal(want.busy);
      expect(entry.busy.map((b: { kind: string }) => b.kind)).to.deep.equal(['BOOKING', 'BLACKOUT']);
    }
  });

  it('renders each instant with the offset in force then (Berlin across its spring DST change)', async () => {
    // 28 March 2027: Berlin moves from +01:00 to +02:00 at 01:00 UTC; the lab's 09:00–17:00 is 02:00–10:00 UTC.
    const res = await server.gql(QUERY, { ids: [instrumentId], from: '2027-03-27T09:00:00+07:00', to: '2027-03-28T17:00:00+07:00' }, { ...auth, 'x-time-zone': 'Europe/Berlin' });
    expect(spans(res.data?.availability[0].free)).to.deep.equal([
      '2027-03-27T03:00:00+01:00/2027-03-27T11:00:00+01:00',
      '2027-03-28T04:00:00+02:00/2027-03-28T12:00:00+02:00',
    ]);
  });

  it('keeps busy time free of identity: no booker, purpose or booking id, and no way to ask for them', async () => {
    const res = await server.gql(QUERY, day, auth);
    const text = JSON.stringify(res.data);
    for (const secret of ['Somchai', 'somchai@', 'secret compound', 'Dr. Lee']) expect(text).not.to.include(secret);
    const type = await server.gql('{ __type(name: "BusySpan") { fields { name } } }');
    expect(type.data?.__type.fields.map((f: { name: string }) => f.name).sort()).to.deep.equal(['end', 'kind', 'start']);
    const probe = await server.gql('query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: $ids, from: $from, to: $to) { busy { user { id } } } }', day, auth);
    expect(probe.errors?.[0].extensions?.code).to.equal('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps only free runs at least minMinutes long', async () => {
    const res = await server.gql(QUERY, { ...day, min: 90 }, { ...auth, 'x-time-zone': 'UTC' });
    expect(spans(res.data?.availability[0].free)).to.deep.equal(['2026-12-03T05:30:00Z/2026-12-03T07:00:00Z', '2026-12-03T08:00:00Z/2026-12-03T10:00:00Z']);
  });

  it('answers null, in place, for an id that names no instrument', async () => {
    const res = await server.gql(QUERY, { ...day, ids: ['999999', instrumentId, instrumentId] }, auth);
    expect(res.errors).to.equal(undefined);
    const list = res.data?.availability as ({ instrumentId: string } | null)[];
    expect(list.map((e) => e?.instrumentId ?? null)).to.deep.equal([null, instrumentId, instrumentId]);
  });

  it('shows no free time for an instrument under maintenance, but still its busy time', async () => {
    const broken = await makeInstrument({ labId: (await makeLab()).id, status: 'MAINTENANCE' });
    await setHours({ labId: broken.labId }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    await Blackout.create({ labId: broken.labId, instrumentId: broken.id, startAt: new Date('2026-12-03T01:00:00Z'), endAt: new Date('2026-12-03T02:00:00Z') });
    const res = await server.gql(QUERY, { ...day, ids: [String(broken.id)] }, auth);
    expect(res.data?.availability[0]).to.include({ status: 'MAINTENANCE' });
    expect(res.data?.availability[0].free).to.deep.equal([]);
    expect(res.data?.availability[0].busy).to.have.length(1);
  });

  describe('limits', () => {
    const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0].extensions?.code;

    it('asks anonymous callers to sign in', async () => {
      const res = await server.gql(QUERY, day);
      expect(code(res)).to.equal('UNAUTHENTICATED');
    });

    it('serves partner keys that hold availability:read, and refuses keys without it', async () => {
      const admin = { kind: 'USER' as const, userId: (await makeUser({ isAdmin: true })).id, institutionId: 0, isAdmin: true, timeZone: 'UTC', locale: 'en' };
      const institutionId = (await makeUser()).institutionId;
      const reader = await createApiKey(admin, { institutionId, name: 'Partner booking portal', scopes: ['availability:read'] });
      const other = await createApiKey(admin, { institutionId, name: 'Partner without scopes', scopes: [] });
      const allowed = await server.gql(QUERY, day, { authorization: `ApiKey ${reader.key}`, 'x-time-zone': 'Asia/Yangon' });
      expect(allowed.errors).to.equal(undefined);
      expect(allowed.data?.availability[0].free[0]).to.deep.equal({ start: '2026-12-03T08:30:00+06:30', end: '2026-12-03T09:00:00+06:30' });
      expect(code(await server.gql(QUERY, day, { authorization: `ApiKey ${other.key}` }))).to.equal('FORBIDDEN');
    });

    it('refuses more than 100 instruments a call', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
      const res = await server.gql(QUERY, { ...day, ids }, auth);
      expect(code(res)).to.equal('BAD_USER_INPUT');
      expect(res.errors?.[0].message).to.match(/at most 100 instruments/);
    });

    it('refuses a range longer than 62 days, and one where to is not after from', async () => {
      const long = await server.gql(QUERY, { ...day, to: '2027-02-03T00:00:01+07:00' }, auth);
      expect(code(long)).to.equal('BAD_USER_INPUT');
      expect(long.errors?.[0].message).to.match(/62 days/);
      const sixtyTwo = await server.gql(QUERY, { ...day, to: '2027-02-03T00:00:00+07:00' }, auth);
      expect(sixtyTwo.errors).to.equal(undefined);
      const backwards = await server.gql(QUERY, { ...day, to: day.from }, auth);
      expect(code(backwards)).to.equal('BAD_USER_INPUT');
      expect(backwards.errors?.[0].message).to.match(/to must be after from/);
    });

    it('refuses a minMinutes below 1 or above 14 days', async () => {
      for (const min of [0, -30, 20161]) {
        const res = await server.gql(QUERY, { ...day, min }, auth);
        expect(code(res), String(min)).to.equal('BAD_USER_INPUT');
        expect(res.errors?.[0].message).to.match(/minMinutes/);
      }
    });

    it('refuses ids that are not IDs and times without an offset', async () => {
      expect(code(await server.gql(QUERY, { ...day, ids: ['abc'] }, auth))).to.equal('BAD_USER_INPUT');
      expect(code(await server.gql(QUERY, { ...day, from: '2026-12-03T00:00:00' }, auth))).to.equal('BAD_USER_INPUT');
    });
  });

  it('gives the instrument itself on request', async () => {
    const res = await server.gql(`query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) {
      availability(instrumentIds: $ids, from: $from, to: $to) { instrument { id lab { timeZone } } } }`, day, auth);
    expect(res.data?.availability[0].instrument).to.deep.equal({ id: instrumentId, lab: { timeZone: 'Asia/Bangkok' } });
  });
});
