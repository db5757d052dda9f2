// Through a partner key, no field may reveal a person. Walks every field of every type a partner can reach from
// its allowed roots: listed fields must answer without any person's data; every other field must be FORBIDDEN.
import { expect } from 'chai';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { makeExecutableSchemaFromSdl } from '../../src/graphql/schema';
import { isPartnerReadable, PARTNER_READABLE_FIELDS } from '../../src/security/partner-allow-list';
import { resetTables } from '../helpers/db';
import { startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { buildWorld, clock, type World } from './world';

/** Types that are about people or their records: none may be readable by partners, whatever else changes. */
const PERSON_TYPES = ['User', 'LabMembership', 'Booking', 'BookingGroup', 'BookingHistoryEntry', 'BookingConnection', 'ApiKey', 'WebhookSubscription', 'InstrumentQualification', 'Blackout'];

interface Step {
  field: GraphQLField<unknown, unknown>;
}

/** Values for required arguments (and small pages), chosen so that lists come back non-empty. */
function argumentValue(world: World, arg: GraphQLArgument | { name: string; type: GraphQLInputType }, fieldType: string): string | undefined {
  const named = getNamedType(arg.type);
  const list = isListType(getNullableType(arg.type));
  if (!isNonNullType(arg.type) && arg.name !== 'first') return undefined;
  const id = (): string => {
    if (/lab/i.test(arg.name) || (arg.name === 'id' && fieldType === 'Lab')) return String(world.lab.id);
    if (/institution/i.test(arg.name)) return String(world.institution.id);
    return String(world.instrument.id);
  };
  let value: string;
  if (named.name === 'ID') value = list ? `["${world.instrument.id}", "${world.qualifiedInstrument.id}"]` : `"${id()}"`;
  else if (named.name === 'DateTime') value = arg.name === 'to' ? '"2030-03-11T00:00:00Z"' : '"2030-03-04T00:00:00Z"';
  else if (named.name === 'LocalDate') value = arg.name === 'to' ? '"2030-03-31"' : '"2030-03-01"';
  else if (named.name === 'Int') value = arg.name === 'first' ? '5' : '60';
  else if (named.name === 'Boolean') value = 'true';
  else if (isEnumType(named)) value = named.getValues()[0].name;
  else if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields())
      .map((f) => [f.name, argumentValue(world, f, fieldType)] as const)
      .filter(([, v]) => v !== undefined);
    value = `{ ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  } else value = '"x"';
  return list && named.name !== 'ID' ? `[${value}]` : value;
}

function selection(world: World, field: GraphQLField<unknown, unknown>): string {
  const args = field.args
    .map((a) => [a.name, argumentValue(world, a, getNamedType(field.type).name)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return args.length ? `${field.name}(${args.join(', ')})` : field.name;
}

/** Shortest paths (through partner-readable fields only) from Query to every type a partner can reach. */
function reachableTypes(schema: GraphQLSchema): Map<GraphQLObjectType, Step[]> {
  const query = schema.getQueryType()!;
  const paths = new Map<GraphQLObjectType, Step[]>([[query, []]]);
  const queue: GraphQLObjectType[] = [query];
  while (queue.length) {
    const type = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      if (!isPartnerReadable(type.name, field.name) || !isObjectType(target) || paths.has(target)) continue;
      paths.set(target, [...paths.get(type)!, { field }]);
      queue.push(target);
    }
  }
  return paths;
}

function queryFor(world: World, path: Step[], leaf: GraphQLField<unknown, unknown>): string {
  const leafType = getNamedType(leaf.type);
  let body = isScalarType(leafType) || isEnumType(leafType) ? selection(world, leaf) : `${selection(world, leaf)} { __typename }`;
  for (const step of [...path].reverse()) body = `${selection(world, step.field)} { ${body} }`;
  return `{ ${body} }`;
}

function leaks(world: World, response: GraphQLResponse): string[] {
  const text = JSON.stringify(response.data ?? null);
  const { names, emails, purposes, bookingIds } = world.secrets;
  return [...names, ...emails, ...purposes, ...bookingIds.map(String), 'Secret Person'].filter((secret) => text.includes(secret));
}

describe('partner API privacy', function () {
  this.timeout(60_000);
  let server: TestServer;
  let world: World;
  const schema = makeExecutableSchemaFromSdl();

  before(async () => {
    await resetTables();
    world = await buildWorld();
    server = await startTestServer({ clock });
  });

  after(async () => {
    await server?.close();
  });

  it('lists only fields that exist, and no type that describes people', () => {
    const missing = Object.entries(PARTNER_READABLE_FIELDS).flatMap(([typeName, fields]) => {
      const type = schema.getType(typeName);
      return fields.filter((f) => !isObjectType(type) || !type.getFields()[f]).map((f) => `${typeName}.${f}`);
    });
    expect(missing).to.deep.equal([]);
    expect(Object.keys(PARTNER_READABLE_FIELDS).filter((t) => PERSON_TYPES.includes(t))).to.deep.equal([]);
  });

  it('answers every readable field reachable from the allowed roots without anyone\'s name, email, purpose or booking id, and refuses every other field', async () => {
    const reachable = reachableTypes(schema);
    expect([...reachable.keys()].map((t) => t.name)).to.include.members(['Lab', 'Instrument', 'InstrumentAvailability', 'BusySpan']);
    const problems: string[] = [];
    let readable = 0;
    for (const [type, path] of reachable) {
      for (const field of Object.values(type.getFields())) {
        const query = queryFor(world, path, field);
        const response = await server.gql(query, undefined, world.headers.partner);
        const coordinate = `${type.name}.${field.name}`;
        if (isPartnerReadable(type.name, field.name)) {
          readable += 1;
          if (response.errors) problems.push(`${coordinate}: ${JSON.stringify(response.errors[0])} for ${query}`);
          const leaked = leaks(world, response);
          if (leaked.length) problems.push(`${coordinate} leaked ${leaked.join(', ')}`);
        } else if (response.errors?.[0]?.extensions?.code !== 'FORBIDDEN' || response.data) {
          problems.push(`${coordinate} should be FORBIDDEN to partners, got ${JSON.stringify(response).slice(0, 300)}`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
    expect(readable).to.be.greaterThan(30);
  });

  it('shows a partner the busy time of another person\'s booking, and nothing about who or why', async () => {
    const response = await server.gql(
      `query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-03-05T00:00:00Z", to: "2030-03-07T00:00:00Z") {
         instrument { name lab { name institution { name } } } busy { start end kind } free { start end } } }`,
      { ids: [world.instrument.id] },
      world.headers.partner,
    );
    expect(response.errors).to.equal(undefined);
    const [entry] = response.data!.availability;
    expect(entry.busy).to.deep.include({ start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z', kind: 'BOOKING' });
    expect(entry.busy.map((b: { kind: string }) => b.kind)).to.include('BLACKOUT');
    expect(leaks(world, response)).to.deep.equal([]);
  });

  it("shows a researcher another person's booking only as busy time, and the booker and managers in full", async () => {
    const [memberBookingId] = world.secrets.bookingIds;
    const asResearcher = { ...world.headers.researcher, 'x-time-zone': 'UTC' };
    const listed = await server.gql('{ bookings(first: 100) { nodes { id } } }', undefined, asResearcher);
    expect(listed.data!.bookings.nodes.map((b: { id: string }) => Number(b.id))).not.to.include(memberBookingId);
    const direct = await server.gql('query($id: ID!) { booking(id: $id) { purpose } }', { id: memberBookingId }, asResearcher);
    expect(direct.data!.booking).to.equal(null);
    const busy = await server.gql(
      'query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-03-05T00:00:00Z", to: "2030-03-06T00:00:00Z") { busy { start end kind } } }',
      { ids: [world.instrument.id] }, asResearcher,
    );
    expect(busy.data!.availability[0].busy).to.deep.include({ start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z', kind: 'BOOKING' });
    expect(leaks(world, busy)).to.deep.equal([]);
    for (const role of ['member', 'manager', 'admin'] as const) {
      const full = await server.gql('query($id: ID!) { booking(id: $id) { purpose user { email } } }', { id: memberBookingId }, world.headers[role]);
      expect(full.data!.booking, role).to.deep.equal({ purpose: world.secrets.purposes[0], user: { email: world.users.member.email } });
    }
  });

  it('refuses person fields even when hidden in fragments, aliases or inline fragments', async () => {
    for (const query of [
      '{ instruments { nodes { ...I } } } fragment I on Instrument { name lab { ...L } } fragment L on Lab { blackouts { nodes { reason } } }',
      '{ x: me { email } }',
      '{ labs { nodes { ... on Lab { holidays(from: "2030-03-01", to: "2030-03-31") { reason } } } } }',
      `{ booking(id: "${world.secrets.bookingIds[0]}") { purpose } }`,
    ]) {
      const response = await server.gql(query, undefined, world.headers.partner);
      expect(response.errors?.[0]?.extensions?.code, query).to.equal('FORBIDDEN');
      expect(response.data, query).to.equal(undefined);
      expect(response.status).to.equal(403);
    }
  });
});
