import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { countQueries, resetTables } from '../helpers/db';
import { makeBooking, makeInstitution, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

describe('GraphQL API: spine', () => {
  let server: TestServer;
  let researcher: { id: number };
  let bookingId: number;

  before(async () => {
    await resetTables();
    server = await startTestServer();
    const institution = await makeInstitution({ name: 'Vietnam National University, Hanoi', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    researcher = await makeUser({ institutionId: institution.id, timeZone: 'Asia/Ho_Chi_Minh', email: 'lan@vnu.test' });
    const lab = await makeLab({ name: 'Kunming Joint Lab', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    const instrument = await makeInstrument({ labId: lab.id, name: 'Krios G4' });
    bookingId = (await makeBooking({ instrumentId: instrument.id, userId: researcher.id, start: '2026-12-03T01:00:00Z', end: '2026-12-03T03:00:00Z' })).id;
  });

  after(async () => {
    await server.close();
  });

  describe('authentication', () => {
    it('answers UNAUTHENTICATED on a protected field without a token', async () => {
      const res = await server.gql('{ me { id } }');
      expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
      expect(res.data).to.equal(null);
    });

    it('answers UNAUTHENTICATED with a clear message for a bad token, with HTTP 401 and no stack', async () => {
      const res = await server.gql('{ me { id } }', {}, { authorization: 'Bearer not.a.jwt' });
      expect(res.status).to.equal(401);
      expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
      expect(res.errors?.[0].message).to.match(/token is not valid/);
      expect(JSON.stringify(res.errors)).not.to.match(/stacktrace|\bat .*\.ts:/);
    });

    it('rejects an unknown Authorization scheme', async () => {
      const res = await server.gql('{ me { id } }', {}, { authorization: 'Basic abc' });
      expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
    });

    it('gives the signed-in user their profile', async () => {
      const res = await server.gql('{ me { email timeZone institution { countryCode } } }', {}, await bearer(researcher.id));
      expect(res.errors).to.equal(undefined);
      expect(res.data?.me).to.deep.equal({ email: 'lan@vnu.test', timeZone: 'Asia/Ho_Chi_Minh', institution: { countryCode: 'VN' } });
    });
  });

  describe('DateTime and TimeZone', () => {
    const query = 'query($id: ID!) { booking(id: $id) { start end } }';

    it("renders instants in the profile's zone with an explicit offset", async () => {
      const res = await server.gql(query, { id: String(bookingId) }, await bearer(researcher.id));
      expect(res.data?.booking).to.deep.equal({ start: '2026-12-03T08:00:00+07:00', end: '2026-12-03T10:00:00+07:00' });
    });

    it('renders in the X-Time-Zone header zone, including +06:30 for Asia/Yangon', async () => {
      const res = await server.gql(query, { id: String(bookingId) }, { ...(await bearer(researcher.id)), 'x-time-zone': 'Asia/Yangon' });
      expect(res.data?.booking).to.deep.equal({ start: '2026-12-03T07:30:00+06:30', end: '2026-12-03T09:30:00+06:30' });
      const berlin = await server.gql(query, { id: String(bookingId) }, { ...(await bearer(researcher.id)), 'x-time-zone': 'Europe/Berlin' });
      expect(berlin.data?.booking.start).to.equal('2026-12-03T02:00:00+01:00');
    });

    it('falls back to the profile zone when the header is not a valid zone', async () => {
      const res = await server.gql(query, { id: String(bookingId) }, { ...(await bearer(researcher.id)), 'x-time-zone': 'Mars/Olympus' });
      expect(res.data?.booking.start).to.equal('2026-12-03T08:00:00+07:00');
    });

    it('renders in UTC for a caller without a zone', async () => {
      const res = await server.gql('{ institutions { nodes { name } } }');
      expect(res.errors).to.equal(undefined);
      const utc = await server.gql(query, { id: String(bookingId) }, { ...(await bearer(researcher.id)), 'x-time-zone': 'UTC' });
      expect(utc.data?.booking.start).to.equal('2026-12-03T01:00:00Z');
    });

    it('rejects a DateTime without an offset with a clear BAD_USER_INPUT error', async () => {
      const res = await server.gql('query($from: DateTime) { bookings(filter: { from: $from }) { nodes { id } } }', { from: '2026-12-03T09:00:00' }, await bearer(researcher.id));
      expect(res.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
      expect(res.errors?.[0].message).to.match(/has no offset/);
    });

    it('rejects a malformed DateTime literal with a machine-readable code', async () => {
      const res = await server.gql('{ bookings(filter: { from: "next tuesday" }) { nodes { id } } }', {}, await bearer(researcher.id));
      expect(res.errors?.[0].extensions?.code).to.be.a('string').and.match(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
      expect(JSON.stringify(res.errors)).not.to.match(/stacktrace/);
    });

    it('accepts a DateTime with an offset and filters with it', async () => {
      const res = await server.gql('query($from: DateTime) { bookings(filter: { from: $from }) { nodes { id } } }', { from: '2026-12-03T09:30:00+07:00' }, await bearer(researcher.id));
      expect(res.errors).to.equal(undefined);
      expect(res.data?.bookings.nodes).to.deep.equal([{ id: String(bookingId) }]);
      const later = await server.gql('query($from: DateTime) { bookings(filter: { from: $from }) { nodes { id } } }', { from: '2026-12-03T10:00:00+07:00' }, await bearer(researcher.id));
      expect(later.data?.bookings.nodes).to.deep.equal([]);
    });

    it('rejects an unknown IANA zone in a TimeZone input and accepts a real one', async () => {
      const mutation = 'mutation($tz: TimeZone) { updateProfile(input: { timeZone: $tz }) { user { timeZone } errors { code } } }';
      const bad = await server.gql(mutation, { tz: 'Asia/Atlantis' }, await bearer(researcher.id));
      expect(bad.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
      const good = await server.gql(mutation, { tz: 'Asia/Yangon' }, await bearer(researcher.id));
      expect(good.data?.updateProfile).to.deep.equal({ user: { timeZone: 'Asia/Yangon' }, errors: [] });
      await server.gql(mutation, { tz: 'Asia/Ho_Chi_Minh' }, await bearer(researcher.id));
    });
  });

  describe('IDs', () => {
    it('answers BAD_USER_INPUT for an ID that is not a number, without a stack trace', async () => {
      const res = await server.gql('{ instrument(id: "abc") { id } }');
      expect(res.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
      expect(res.errors?.[0].message).to.match(/not a valid ID/);
      expect(JSON.stringify(res.errors)).not.to.match(/stacktrace/);
    });

    it('answers a GraphQL validation error for an ID of the wrong literal type', async () => {
      const res = await server.gql('{ instrument(id: 1.5) { id } }');
      expect(res.errors?.[0].extensions?.code).to.equal('GRAPHQL_VALIDATION_FAILED');
    });

    it('returns null for an ID that does not exist', async () => {
      const res = await server.gql('{ instrument(id: "999999") { id } }');
      expect(res.errors).to.equal(undefined);
      expect(res.data?.instrument).to.equal(null);
    });
  });
});

describe('GraphQL API: lists', () => {
  let server: TestServer;
  let sequelize: Sequelize;

  before(async () => {
    sequelize = await resetTables();
    server = await startTestServer();
    const institutions = [];
    for (let i = 0; i < 5; i += 1) institutions.push(await makeInstitution({ name: `Institution ${i}` }));
    const labs = [];
    for (let i = 0; i < 10; i += 1) labs.push(await makeLab({ institutionId: institutions[i % 5].id, countryCode: i % 2 ? 'TH' : 'VN' }));
    for (let i = 0; i < 100; i += 1) {
      await makeInstrument({ labId: labs[i % 10].id, name: `Spectrometer ${i}`, category: i % 3 ? 'mass-spectrometer' : 'nmr' });
    }
  });

  after(async () => {
    await server.close();
  });

  it('pages through instruments with first/after cursors', async () => {
    const query = 'query($after: String) { instruments(first: 40, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res: any = await server.gql(query, { after });
      seen.push(...res.data.instruments.nodes.map((n: { id: string }) => n.id));
      after = res.data.instruments.pageInfo.endCursor;
      if (!res.data.instruments.pageInfo.hasNextPage) break;
    }
    expect(seen).to.have.length(100);
    expect(new Set(seen).size).to.equal(100);
  });

  it('filters instruments by country, category and search text', async () => {
    const res = await server.gql('{ instruments(first: 100, filter: { country: "th", category: "nmr" }) { nodes { category lab { countryCode } } } }');
    expect(res.errors).to.equal(undefined);
    expect(res.data?.instruments.nodes).to.have.length.greaterThan(0);
    for (const node of res.data?.instruments.nodes ?? []) expect(node).to.deep.equal({ category: 'nmr', lab: { countryCode: 'TH' } });
    const search = await server.gql('{ instruments(first: 100, filter: { search: "Spectrometer 4" }) { nodes { name } } }');
    expect(search.data?.instruments.nodes.map((n: { name: string }) => n.name).sort()).to.deep.equal(
      ['Spectrometer 4', 'Spectrometer 40', 'Spectrometer 41', 'Spectrometer 42', 'Spectrometer 43', 'Spectrometer 44', 'Spectrometer 45', 'Spectrometer 46', 'Spectrometer 47', 'Spectrometer 48', 'Spectrometer 49'],
    );
  });

  it('refuses a page size over 100 or under 1, and a forged cursor', async () => {
    for (const first of [0, 101, 100000]) {
      const res = await server.gql(`{ instruments(first: ${first}) { nodes { id } } }`);
      expect(res.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    }
    const forged = await server.gql('{ instruments(after: "bm9wZQ") { nodes { id } } }');
    expect(forged.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('lists 100 instruments with their labs and institutions in a constant number of SQL queries', async () => {
    const { result, queries } = await countQueries(sequelize, () =>
      server.gql('{ instruments(first: 100) { nodes { name openingHours { start } lab { name institution { name } openingHours { start } } } } }'),
    );
    expect(result.errors).to.equal(undefined);
    expect(result.data?.instruments.nodes).to.have.length(100);
    // instruments, their own hours, labs, labs' hours, institutions
    expect(queries.length).to.be.at.most(5);
  });

  it('lists labs by country and institutions', async () => {
    const labs = await server.gql('{ labs(country: "VN") { nodes { countryCode timeZone } } }');
    expect(labs.data?.labs.nodes).to.have.length(5);
    const institutions = await server.gql('{ institutions(first: 2) { nodes { name } pageInfo { hasNextPage } } }');
    expect(institutions.data?.institutions).to.deep.equal({ nodes: [{ name: 'Institution 0' }, { name: 'Institution 1' }], pageInfo: { hasNextPage: true } });
  });
});
