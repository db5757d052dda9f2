// The executable schema: SDL from schema/, resolvers from resolvers/, DateTimes rendered in the viewer's zone.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers';
import { renderDateTimesInViewerZone } from './viewer-zone';

/** schema/ sits at the project root; compiled code runs from dist/src/graphql. */
export function schemaDirectory(): string {
  const candidates = [path.resolve(__dirname, '../../schema'), path.resolve(__dirname, '../../../schema')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'scalars.graphql')));
  if (!found) throw new Error(`schema/ not found next to ${__dirname}`);
  return found;
}

export function loadTypeDefs(dir = schemaDirectory()): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

export function makeExecutableSchemaFromSdl(): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: resolvers as IResolvers,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  return renderDateTimesInViewerZone(schema);
}
