// Every Query and Mutation field, called by every kind of caller: allowed, or refused with the exact code.
import { expect } from 'chai';
import { isObjectType } from 'graphql';
import { makeExecutableSchemaFromSdl } from '../../src/graphql/schema';
import { resetTables } from '../helpers/db';
import { startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';
import { MATRIX, type Outcome } from './matrix-rows';
import { buildWorld, clock, ROLES, type Role, type World } from './world';

function outcomeOf(response: GraphQLResponse, field: string): Outcome {
  const error = response.errors?.[0];
  if (error) return (error.extensions?.code as string | undefined) ?? `NO_CODE: ${error.message}`;
  const value = response.data?.[field];
  if (value === null || value === undefined) return 'NULL';
  const payloadErrors = isObjectLike(value) && Array.isArray(value.errors) ? (value.errors as { code: string }[]) : [];
  return payloadErrors.length ? payloadErrors[0].code : 'OK';
}

const isObjectLike = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

describe('authorization matrix', function () {
  this.timeout(60_000);
  let server: TestServer;
  let world: World;

  before(async () => {
    await resetTables();
    world = await buildWorld();
    server = await startTestServer({ clock });
  });

  after(async () => {
    await server?.close();
  });

  it('has a row for every Query and Mutation field of the schema (and none for a field that is gone)', () => {
    const schema = makeExecutableSchemaFromSdl();
    const rootFields = [schema.getQueryType(), schema.getMutationType()]
      .filter(isObjectType)
      .flatMap((type) => Object.keys(type.getFields()));
    const covered = new Set(MATRIX.map((r) => r.field));
    const missing = rootFields.filter((f) => !covered.has(f));
    expect(missing, `add a row to test/access/matrix-rows.ts for: ${missing.join(', ')}`).to.deep.equal([]);
    const stale = [...covered].filter((f) => !rootFields.includes(f));
    expect(stale, 'rows for fields the schema no longer has').to.deep.equal([]);
  });

  for (const matrixRow of MATRIX) {
    const summary = ROLES.map((r) => `${r} ${matrixRow.expect[r]}`).join(', ');
    it(`${matrixRow.field}${matrixRow.label ? ` (${matrixRow.label})` : ''}: ${summary}`, async () => {
      const actual = {} as Record<Role, Outcome>;
      for (const role of ROLES) {
        const variables = matrixRow.variables ? await matrixRow.variables(world, role) : undefined;
        actual[role] = outcomeOf(await server.gql(matrixRow.query, variables, world.headers[role]), matrixRow.field);
      }
      expect(actual).to.deep.equal(matrixRow.expect);
    });
  }
});
