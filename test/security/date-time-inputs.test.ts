// Every operation that takes a DateTime or a LocalDate, found by introspection (query and mutation fields, fields
// nested under them, and input objects at any depth), gets random instants inside and outside the supported range,
// random offsets (real and made-up) and random X-Time-Zone headers. Each must answer within a second with data or a
// coded error: never a 500, never INTERNAL_SERVER_ERROR. An instant outside 1970-01-01T00:00:00Z..2199-12-31T23:59:59.999Z
// or with an offset no place uses is refused with BAD_USER_INPUT naming the range; one inside it is never refused as such.
// A new field taking a DateTime is covered without editing this file.
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  buildClientSchema, getIntrospectionQuery, getNamedType, getNullableType, isEnumType, isInputObjectType, isLeafType, isListType,
  isNonNullType, isObjectType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

// The documented range, written out here rather than imported: the test is the oracle for the scalar.
const FIRST_MS = Date.UTC(1970, 0, 1);
const END_MS = Date.UTC(2200, 0, 1);
const FIRST_DATE = '1970-01-01';
const LAST_DATE = '2199-12-31';
const DATE_TYPES = new Set(['DateTime', 'LocalDate']);
const SAMPLES_PER_OPERATION = 48;
const CONCURRENCY = 2;
const DAY = 86_400_000;

// --- values, each knowing whether the scalar must accept it ---

/** A generated argument value: GraphQL literal and JSON (variables) forms, and whether a date in it is unsupported. */
interface Value {
  literal: string;
  json: unknown;
  unsupported: boolean;
}

const plain = (literal: string, json: unknown): Value => ({ literal, json, unsupported: false });

const REAL_OFFSETS = ['Z', 'z', '+00:00', '-00:00', '+07:00', '+0530', '+05:45', '+06:30', '-03:30', '+14:00', '-12:00', '+09', '-11:00', '+12:45'];
const MADE_UP_OFFSETS = ['+24:00', '+99:99', '-99:99', '+14:01', '+14:30', '-12:01', '-13:00', '+05:60', '+1500', '-24'];

/** Minutes east of UTC that an offset designator names (for writing the wall-clock part). */
function offsetMinutes(designator: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(designator);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instant `ms` written with `designator`; years outside 0000–9999 come out in the expanded ±YYYYYY form. */
function writeInstant(ms: number, designator: string): string {
  const wall = new Date(ms + offsetMinutes(designator) * 60_000).toISOString(); // ends in "Z"
  return `${wall.slice(0, -1)}${designator}`;
}

/**
 * Instants near an anchor (so that from/to pairs of one request form short ranges), at the edges of the range,
 * anywhere in it, and outside it (years 0–2, negative years, 2200, 10000, the far ends of what Date can hold).
 */
const instantNear = (anchor: number) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => anchor + d) },
    { weight: 1, arbitrary: fc.constantFrom(FIRST_MS, FIRST_MS - 1, END_MS - 1, END_MS, Date.parse('0001-01-02T00:00:00Z'), Date.parse('0000-01-01T00:00:00Z'), Date.parse('+010000-01-01T00:00:00Z'), Date.parse('-000001-01-01T00:00:00Z')) },
    { weight: 1, arbitrary: fc.integer({ min: FIRST_MS, max: END_MS - 1 }) },
    { weight: 2, arbitrary: fc.integer({ min: -8.64e15 + 10 * DAY, max: 8.64e15 - 10 * DAY }) }, // all Date can hold, with room for an offset
  );

const dateTimeValue = (anchor: number): fc.Arbitrary<Value> =>
  fc.tuple(instantNear(anchor), fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...REAL_OFFSETS) }, { weight: 1, arbitrary: fc.constantFrom(...MADE_UP_OFFSETS) }))
    .map(([ms, designator]) => {
      const text = writeInstant(ms, designator);
      const unsupported = MADE_UP_OFFSETS.includes(designator) || ms < FIRST_MS || ms >= END_MS;
      return { literal: JSON.stringify(text), json: text, unsupported };
    });

const localDateValue = (anchor: number): fc.Arbitrary<Value> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }).map((d) => anchor + d * DAY) },
    { weight: 1, arbitrary: fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T00:00:00Z') }) },
  ).map((ms) => {
    const date = new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);
    return { literal: JSON.stringify(date), json: date, unsupported: date < FIRST_DATE || date > LAST_DATE };
  });

// Zones the header may name: real ones at the extremes, made-up ones, and random printable text.
const ZONES = ['Asia/Shanghai', 'Asia/Yangon', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Etc/GMT+12', 'Etc/GMT-14',
  'America/St_Johns', 'UTC', 'utc', 'Mars/Olympus', '+05:00', '', 'asia/bangkok', 'Europe/Berlin'];
const timeZoneHeader = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ZONES) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ/_+-0129: .'), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

interface Fixtures {
  ids: Record<'lab' | 'instrument' | 'booking' | 'institution' | 'user', string[]>;
}

/** An ID chosen by the name of the argument and of what it belongs to (lab, instrument, booking...), so calls reach the domain. */
function idValue(name: string, owner: string, fixtures: Fixtures): fc.Arbitrary<Value> {
  const where = `${name} ${owner}`.toLowerCase();
  const kind = (['instrument', 'booking', 'institution', 'lab', 'user'] as const).find((k) => where.includes(k));
  const pool = kind ? fixtures.ids[kind] : Object.values(fixtures.ids).flat();
  return fc.constantFrom(...pool).map((id) => plain(JSON.stringify(id), id));
}

/** True when values of this input type can hold a DateTime or LocalDate somewhere inside. */
function holdsDate(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (DATE_TYPES.has(named.name)) return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => holdsDate(f.type, seen));
}

const isRequired = (x: { type: GraphQLInputType; defaultValue?: unknown }) => isNonNullType(x.type) && x.defaultValue === undefined;

function valueFor(type: GraphQLInputType, name: string, owner: string, anchor: number, fixtures: Fixtures): fc.Arbitrary<Value> {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    return fc.array(valueFor(nullable.ofType, name, owner, anchor, fixtures), { minLength: 1, maxLength: 2 }).map((items) => ({
      literal: `[${items.map((i) => i.literal).join(', ')}]`,
      json: items.map((i) => i.json),
      unsupported: items.some((i) => i.unsupported),
    }));
  }
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name)).map((v) => plain(v, v));
  if (isInputObjectType(named)) {
    // Required fields always; optional ones only when they can hold a date (the rest keeps its defaults).
    const fields = Object.values(named.getFields()).filter((f) => isRequired(f) || holdsDate(f.type));
    return fc.tuple(...fields.map((f) => (isRequired(f) ? valueFor(f.type, f.name, named.name, anchor, fixtures) : fc.option(valueFor(f.type, f.name, named.name, anchor, fixtures), { freq: 4 }))))
      .map((values) => {
        const given = fields.map((f, i) => [f.name, values[i]] as const).filter((pair): pair is readonly [string, Value] => pair[1] !== null);
        return {
          literal: `{ ${given.map(([n, v]) => `${n}: ${v.literal}`).join(', ')} }`,
          json: Object.fromEntries(given.map(([n, v]) => [n, v.json])),
          unsupported: given.some(([, v]) => v.unsupported),
        };
      });
  }
  switch (named.name) {
    case 'DateTime': return dateTimeValue(anchor);
    case 'LocalDate': return localDateValue(anchor);
    case 'ID': return idValue(name, owner, fixtures);
    case 'Int': return fc.integer({ min: 1, max: 240 }).map((n) => plain(String(n), n));
    case 'Float': return fc.double({ min: 0, max: 100, noNaN: true }).map((n) => plain(String(n), n));
    case 'Boolean': return fc.boolean().map((b) => plain(String(b), b));
    case 'TimeZone': return fc.constantFrom(...ZONES.slice(0, 8)).map((z) => plain(JSON.stringify(z), z));
    default: return fc.string({ unit: fc.constantFrom(...'abcdef xyz-'), minLength: 1, maxLength: 12 }).map((s) => plain(JSON.stringify(s), s));
  }
}

// --- operations, found from the schema ---

interface Step {
  field: GraphQLField<unknown, unknown>;
  owner: GraphQLObjectType;
}

/** A field that takes a date somewhere in its arguments, and the shortest way to it from a root type. */
interface Target {
  coordinate: string;
  operation: 'query' | 'mutation';
  path: Step[];
}

function findTargets(schema: GraphQLSchema): Target[] {
  const found = new Map<string, Target>();
  for (const [operation, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    if (!root) continue;
    const visited = new Set<string>([root.name]);
    let frontier: Step[][] = [[]];
    let owner: GraphQLObjectType[] = [root];
    while (frontier.length) {
      const nextFrontier: Step[][] = [];
      const nextOwner: GraphQLObjectType[] = [];
      frontier.forEach((path, i) => {
        for (const field of Object.values(owner[i].getFields()) as GraphQLField<unknown, unknown>[]) {
          const steps = [...path, { field, owner: owner[i] }];
          const coordinate = `${owner[i].name}.${field.name}`;
          if (field.args.some((a) => holdsDate(a.type)) && !found.has(coordinate)) found.set(coordinate, { coordinate, operation, path: steps });
          const target = getNamedType(field.type);
          if (isObjectType(target) && !visited.has(target.name)) {
            visited.add(target.name);
            nextFrontier.push(steps);
            nextOwner.push(target);
          }
        }
      });
      frontier = nextFrontier;
      owner = nextOwner;
    }
  }
  return [...found.values()];
}

/** Leaf fields without arguments, and objects reached through such fields, two levels deep: DateTimes included. */
function selectionFor(type: GraphQLNamedType, depth = 0): string {
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.length) continue;
    const target = getNamedType(field.type);
    if (isLeafType(target)) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name} { ${selectionFor(target, depth + 1)} }`);
  }
  return parts.join(' ');
}

interface Call {
  body: string;
  unsupported: boolean;
}

/** A request for one target: its own arguments as literals or as variables, the path's required arguments as literals. */
function callFor(target: Target, fixtures: Fixtures): fc.Arbitrary<Call> {
  const anchor = fc.oneof(
    fc.constantFrom(FIRST_MS + DAY, END_MS - DAY, Date.UTC(2030, 2, 5)),
    fc.integer({ min: FIRST_MS, max: END_MS - 1 }),
  );
  return fc.tuple(anchor, fc.boolean()).chain(([at, asVariables]) => {
    const argsOf = (step: Step, own: boolean) => {
      const args = step.field.args.filter((a) => isRequired(a) || (own && holdsDate(a.type)));
      return fc.tuple(...args.map((a: GraphQLArgument) => (isRequired(a)
        ? valueFor(a.type, a.name, step.field.name, at, fixtures)
        : fc.option(valueFor(a.type, a.name, step.field.name, at, fixtures), { freq: 4 }))))
        .map((values) => args.map((a, i) => ({ arg: a, value: values[i] })).filter((x): x is { arg: GraphQLArgument; value: Value } => x.value !== null));
    };
    return fc.tuple(...target.path.map((step, i) => argsOf(step, i === target.path.length - 1))).map((perStep) => {
      const variables: Record<string, unknown> = {};
      const definitions: string[] = [];
      let unsupported = false;
      const rendered = perStep.map((given, i) => {
        const own = i === target.path.length - 1;
        const pairs = given.map(({ arg, value }) => {
          unsupported ||= value.unsupported;
          if (own && asVariables) {
            const name = `v${definitions.length}`;
            definitions.push(`$${name}: ${arg.type.toString()}`);
            variables[name] = value.json;
            return `${arg.name}: $${name}`;
          }
          return `${arg.name}: ${value.literal}`;
        });
        return `${target.path[i].field.name}${pairs.length ? `(${pairs.join(', ')})` : ''}`;
      });
      const last = target.path[target.path.length - 1].field;
      const leaf = selectionFor(getNamedType(last.type));
      let document = leaf ? `{ ${leaf} }` : '';
      for (let i = rendered.length - 1; i >= 0; i--) document = `{ ${rendered[i]} ${document} }`;
      const header = `${target.operation}${definitions.length ? `(${definitions.join(', ')})` : ''}`;
      return { body: JSON.stringify({ query: `${header} ${document}`, variables }), unsupported };
    });
  });
}

// --- judging an answer ---

interface Answer {
  status: number;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: unknown } }[] } | null;
}

const RANGE_NAMED = /1970-01-01.*2199-12-31/;

function problemWith(answer: Answer, call: Call): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (answer.ms > 1000) return `answered after ${Math.round(answer.ms)} ms`;
  if (!answer.body) return 'body is not JSON';
  const errors = answer.body.errors ?? [];
  if (answer.body.data == null && errors.length === 0) return 'neither data nor errors';
  for (const error of errors) {
    if (typeof error.extensions?.code !== 'string') return 'an error without extensions.code';
    if (error.extensions.code === 'INTERNAL_SERVER_ERROR') return 'INTERNAL_SERVER_ERROR';
  }
  const refusedAsDate = errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT' && RANGE_NAMED.test(e.message));
  if (call.unsupported && !refusedAsDate) return 'an unsupported instant, offset or date was not refused with BAD_USER_INPUT naming the range';
  if (!call.unsupported && refusedAsDate) return 'a supported instant was refused as outside the range';
  return null;
}

describe('DateTime and LocalDate inputs at every operation that takes them (property, by introspection)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let schema: GraphQLSchema;
  let fixtures: Fixtures;
  let callers: Record<string, string>[];

  before(async () => {
    await resetTables();
    const institution = await makeInstitution({ countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    const admin = await makeUser({ institutionId: institution.id, isAdmin: true });
    const manager = await makeUser({ institutionId: institution.id });
    // Holiday calendars that never returned for years 0–2 (CN, VN, PH), in zones at both extremes of the offsets.
    const labs = [
      await makeLab({ institutionId: institution.id, countryCode: 'CN', timeZone: 'Asia/Shanghai', observesPublicHolidays: true }),
      await makeLab({ institutionId: institution.id, countryCode: 'VN', timeZone: 'Pacific/Kiritimati', observesPublicHolidays: true }),
      await makeLab({ institutionId: institution.id, countryCode: 'PH', timeZone: 'Pacific/Pago_Pago', observesPublicHolidays: true }),
    ];
    const instruments = [];
    for (const lab of labs) {
      await addMember(manager.id, lab.id, 'MANAGER');
      await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
      // Bookable as far ahead as the column allows, so requests near 2199 reach the calendar instead of TOO_FAR_AHEAD.
      instruments.push(await makeInstrument({ labId: lab.id, minNoticeMinutes: 0, maxAdvanceDays: 65_535 }));
    }
    const bookings = [];
    for (const instrument of instruments) {
      bookings.push(await makeBooking({ instrumentId: instrument.id, userId: admin.id, start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z' }));
      bookings.push(await makeBooking({ instrumentId: instrument.id, userId: manager.id, start: '2030-03-06T01:00:00Z', end: '2030-03-06T03:00:00Z' }));
    }
    fixtures = {
      ids: {
        lab: labs.map((l) => String(l.id)),
        instrument: instruments.map((i) => String(i.id)),
        booking: bookings.map((b) => String(b.id)),
        institution: [String(institution.id)],
        user: [String(admin.id), String(manager.id)],
      },
    };
    callers = [await bearer(admin.id), await bearer(manager.id), {}];
    server = await startTestServer();
    const introspection = await server.gql<IntrospectionQuery>(getIntrospectionQuery());
    expect(introspection.errors).to.equal(undefined);
    schema = buildClientSchema(introspection.data!);
  });

  after(async () => {
    await server?.close();
  });

  it('finds the operations that take a DateTime or LocalDate: root fields, nested fields and input objects', () => {
    const coordinates = findTargets(schema).map((t) => t.coordinate);
    // A floor, not the list: whatever else takes a date is found and tested too.
    expect(coordinates).to.include.members([
      'Query.instruments', 'Query.availability', 'Query.bookings', 'Query.usageSummary', 'Query.usageLogs', 'Lab.holidays', 'Lab.blackouts',
      'Mutation.requestBooking', 'Mutation.rescheduleBooking', 'Mutation.addBlackout', 'Mutation.addClosureDays',
    ]);
  });

  it('answers random instants, offsets and zones at each of them within a second, with data or a coded error', async () => {
    const seed = Number(process.env.DATE_TIME_SEED ?? Date.now());
    const targets = findTargets(schema);
    const work = targets.flatMap((target, t) =>
      // Mostly a manager or admin, who may call everything, so supported values get past the access checks.
      fc.sample(fc.tuple(callFor(target, fixtures), timeZoneHeader, fc.constantFrom(0, 0, 1, 2)), { numRuns: SAMPLES_PER_OPERATION, seed: seed + t })
        .map(([call, zone, caller]) => ({ target, call, zone, caller })),
    );
    const failures: string[] = [];
    const reachedDomain = new Set<string>();
    const triedOutside = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < work.length && failures.length < 5) {
        const { target, call, zone, caller } = work[next++];
        const headers = { ...callers[caller], ...(zone !== null ? { 'x-time-zone': zone } : {}) };
        const started = performance.now();
        const response = await server.post(call.body, headers);
        const text = await response.text();
        const answer: Answer = { status: response.status, ms: performance.now() - started, body: null };
        try {
          answer.body = JSON.parse(text);
        } catch {
          // judged below
        }
        const problem = problemWith(answer, call);
        if (problem) failures.push(`${target.coordinate}: ${problem}\n  request (x-time-zone ${JSON.stringify(zone)}): ${call.body.slice(0, 600)}\n  response ${answer.status}: ${text.slice(0, 400)}`);
        if (answer.body?.data != null && !answer.body.errors) reachedDomain.add(target.coordinate);
        if (call.unsupported) triedOutside.add(target.coordinate);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, `DATE_TIME_SEED=${seed}\n${failures.join('\n')}`).to.deep.equal([]);
    // Supported values must get through to the resolvers of every operation, or the property proves little.
    expect([...reachedDomain].sort(), `DATE_TIME_SEED=${seed}`).to.deep.equal(targets.map((t) => t.coordinate).sort());
    expect([...triedOutside].sort(), `DATE_TIME_SEED=${seed}`).to.deep.equal(targets.map((t) => t.coordinate).sort());
  });
});
