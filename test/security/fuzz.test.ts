// Thousands of random and malformed GraphQL requests against a real server process: none may answer 500, every
// error must carry extensions.code (and none may be an unexpected INTERNAL_SERVER_ERROR), and the process stays up.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { createApiKey } from '../../src/access/api-keys';
import { makeExecutableSchemaFromSdl } from '../../src/graphql/schema';
import { resetTables } from '../helpers/db';
import { addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';
import { bearer } from '../helpers/server';

const REQUESTS = 2100;
const CONCURRENCY = 8;

interface FuzzRequest {
  body: string;
  caller: number;
  headers: Record<string, string>;
}

const schema: GraphQLSchema = makeExecutableSchemaFromSdl();

/** arb in about percent% of cases, else null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number) =>
  fc.oneof({ weight: percent, arbitrary: arb }, { weight: 100 - percent, arbitrary: fc.constant(null) });

// --- values: sometimes right for the type, often not ---
const junkLiteral = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('2147483648', '-1', '0', '1e309', '99999999999999999999', 'null', 'true', '[]', '{}', 'NOPE', '""', '"\\u0000"'),
  fc.string({ maxLength: 30 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"2030-03-05T01:00:00Z"', '"2030-03-05T01:00:00"', '"2030-02-30T25:00:00+07:00"', '"Asia/Yangon"', '"Mars/Base"', '"2030-13-01"'),
);

function literalFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<string> {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return fc.array(literalFor(nullable.ofType, depth + 1), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
  if (isInputObjectType(named) && depth < 3) {
    const fields = Object.values(named.getFields());
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return fc.subarray(fields.filter((f) => !required.includes(f))).map((chosen) => [...required, ...chosen]).chain((chosen) =>
      fc.tuple(...chosen.map((f) => literalFor(f.type, depth + 1).map((v) => `${f.name}: ${v}`))).map((pairs) => `{ ${pairs.join(', ')} }`),
    );
  }
  switch (named.name) {
    case 'ID': return fc.oneof(fc.integer({ min: 1, max: 40 }).map((n) => `"${n}"`), fc.constantFrom('"0"', '"-5"', '"abc"', '"4294967296"', '"1e3"'));
    case 'Int': return fc.oneof({ weight: 12, arbitrary: fc.integer({ min: -5, max: 120 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('100000', '2147483647') });
    case 'String': return fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s));
    case 'Boolean': return fc.boolean().map(String);
    case 'DateTime': return fc.integer({ min: 0, max: 5_000_000 }).map((m) => `"${new Date(Date.UTC(2030, 2, 1) + m * 60_000).toISOString()}"`);
    case 'LocalDate': return fc.integer({ min: 0, max: 400 }).map((d) => `"${new Date(Date.UTC(2030, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)}"`);
    case 'TimeZone': return fc.constantFrom('"Asia/Yangon"', '"UTC"', '"Asia/Kolkata"');
    default: return junkLiteral;
  }
}

/** Required arguments always (mostly well typed), optional ones sometimes. */
const argumentsFor = (args: readonly GraphQLArgument[]): fc.Arbitrary<string> => {
  if (args.length === 0) return fc.constant('');
  const value = (a: GraphQLArgument) => fc.oneof({ weight: 25, arbitrary: literalFor(a.type) }, { weight: 1, arbitrary: junkLiteral }).map((v) => `${a.name}: ${v}`);
  const required = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const optional = args.filter((a) => !required.includes(a));
  return fc.tuple(fc.tuple(...required.map(value)), fc.subarray(optional).chain((chosen) => fc.tuple(...chosen.map(value))))
    .map(([must, may]) => [...must, ...may])
    .map((pairs) => (pairs.length ? `(${pairs.join(', ')})` : ''));
};

/** A valid-looking selection set: distinct real fields (so no merge conflicts), each with arguments and a sub-selection. */
function selectionFor(type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  if (!isObjectType(type)) return fc.constant('');
  const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
  const render = (field: GraphQLField<unknown, unknown>) => {
    const target = getNamedType(field.type);
    const sub = isLeafType(target) ? fc.constant('') : depth > 3 ? fc.constant(' { __typename }') : selectionFor(target, depth + 1).map((s) => ` { ${s} }`);
    return fc.tuple(
      sometimes(fc.constant(`${field.name}_alias: `), 5),
      argumentsFor(field.args),
      sometimes(fc.constantFrom(' @skip(if: false)', ' @include(if: true)', ' @include(if: false)'), 5),
      sub,
    ).map(([alias, args, directive, s]) => `${alias ?? ''}${field.name}${args}${directive ?? ''}${s}`);
  };
  return fc.shuffledSubarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) })
    .chain((chosen) => fc.tuple(...chosen.map(render)))
    .map((items) => items.join(' '));
}

const schemaDocument = fc.constantFrom('query', 'mutation').chain((kind) => {
  const root = (kind === 'query' ? schema.getQueryType() : schema.getMutationType())!;
  return fc.tuple(
    selectionFor(root, 0),
    sometimes(fc.constantFrom('Op', 'Other'), 30),
    // Now and then something invalid: an unknown field, a misplaced fragment, an unused one.
    sometimes(fc.constantFrom(' nosuchfield', ' ...F', ' ... on Lab { id }', ' __typename'), 5),
    sometimes(fc.constant(' fragment F on Lab { id name }'), 3),
  ).map(([selection, name, odd, fragment]) => `${kind}${name ? ` ${name}` : ''} { ${selection}${odd ?? ''} }${fragment ?? ''}`);
});

const tokenSoup = fc.array(
  fc.constantFrom('{', '}', '(', ')', '[', ']', ':', '!', '=', '...', '@skip', '$v', 'query', 'mutation', 'subscription', 'fragment', 'on', 'instrument', 'labs',
    'nodes', 'id', 'first', '100000', '"s"', '"""block"""', '#c\n', '__schema', '__type(name: "Lab")', 'true', 'null', '-0.5e10', '\u0000', '\uFEFF'),
  { maxLength: 60 },
).map((tokens) => tokens.join(' '));

const mutate = (doc: fc.Arbitrary<string>) => fc.tuple(doc, fc.nat(), fc.nat(), fc.string({ maxLength: 5 }))
  .map(([text, at, drop, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(Math.min(text.length, i + (drop % 6)));
  });

const document = fc.oneof(
  { weight: 6, arbitrary: schemaDocument },
  { weight: 2, arbitrary: mutate(schemaDocument) },
  { weight: 1, arbitrary: tokenSoup },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
);

const variables = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom('v', 'id', 'ids', 'n', 'input', 'i'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const request = fc.record({
  query: fc.oneof({ weight: 20, arbitrary: document }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
  variables,
  operationName: sometimes(fc.oneof(fc.constantFrom('Op', 'Other'), fc.jsonValue({ maxDepth: 1 })), 10),
  caller: fc.nat(),
  raw: sometimes(fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('{"query":', '[]', '[{"query":"{ __typename }"}]', 'null', '"{ labs }"', '{}')), 4),
  zone: sometimes(fc.constantFrom('Asia/Yangon', 'Mars/Base', '', '\u00ff\u00fe'), 10),
}).map(({ query, variables: vars, operationName, caller, raw, zone }): FuzzRequest => ({
  body: raw ?? JSON.stringify({ query, variables: vars, ...(operationName !== null ? { operationName } : {}) }),
  caller,
  headers: zone !== null ? { 'x-time-zone': zone } : {},
}));

describe('fuzzing the GraphQL endpoint', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let callers: Record<string, string>[];

  before(async () => {
    await resetTables();
    const institution = await makeInstitution();
    const lab = await makeLab({ institutionId: institution.id });
    const researcher = await makeUser({ institutionId: institution.id });
    const manager = await makeUser({ institutionId: institution.id });
    const admin = await makeUser({ institutionId: institution.id, isAdmin: true });
    await addMember(manager.id, lab.id, 'MANAGER');
    for (let i = 0; i < 3; i += 1) {
      const instrument = await makeInstrument({ labId: lab.id, accessPolicy: (['OPEN', 'MEMBERS', 'QUALIFIED'] as const)[i] });
      await makeBooking({ instrumentId: instrument.id, userId: researcher.id, start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z' });
    }
    const key = await createApiKey({ kind: 'USER', userId: admin.id, institutionId: institution.id, isAdmin: true, timeZone: 'UTC', locale: 'en' },
      { institutionId: institution.id, name: 'fuzz', scopes: ['availability:read'] });
    callers = [
      {},
      await bearer(researcher.id),
      await bearer(manager.id),
      await bearer(admin.id),
      { authorization: `ApiKey ${key.key}` },
      { authorization: 'Bearer garbage' },
    ];
    server = await startServerProcess();
  });

  after(async () => {
    await server?.stop();
  });

  it(`answers ${REQUESTS} random and malformed requests without a 500, with a code on every error, and stays up`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now());
    const samples = fc.sample(request, { numRuns: REQUESTS, seed });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < samples.length && failures.length < 5) {
        const sample = samples[next++];
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...callers[sample.caller % callers.length], ...sample.headers },
          body: sample.body,
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        const problem = problemWith(response.status, text);
        if (problem) failures.push(`${problem}\n  request: ${sample.body.slice(0, 400)}\n  response ${response.status}: ${text.slice(0, 400)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures, `FUZZ_SEED=${seed}\n${failures.join('\n')}`).to.deep.equal([]);
    expect(server.child.exitCode).to.equal(null);
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    // A good share must get past parsing and validation, or the fuzzer is not exercising resolvers.
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).to.be.greaterThan(REQUESTS / 6);
  });
});

function problemWith(status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  let body: { errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (/stacktrace|\.ts:\d+|node_modules|SequelizeDatabaseError|SQL/i.test(text)) return 'internals leaked';
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') return 'an error without extensions.code';
    if (code === 'INTERNAL_SERVER_ERROR') return 'an unexpected error (INTERNAL_SERVER_ERROR)';
  }
  return null;
}
