// Every DateTime a query returns is shown in the viewer's zone. Instead of a resolver per field, one pass over the
// schema wraps each field whose type is DateTime (or a list of it) so the value is converted with the request's zone.
import { getNamedType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema, defaultFieldResolver } from 'graphql';
import { DateTime } from 'luxon';
import { RenderedInstant, renderInstant } from './rendered-instant';

function inZone(value: unknown, zone: string): unknown {
  if (value == null || value instanceof RenderedInstant) return value; // already written out (availability spans)
  if (Array.isArray(value)) return value.map((v) => inZone(v, zone));
  if (value instanceof Date) return renderInstant(value.getTime(), zone);
  if (DateTime.isDateTime(value)) return renderInstant(value.toMillis(), zone);
  return value;
}

export function renderDateTimesInViewerZone(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type).name !== 'DateTime') continue;
      const resolve: GraphQLFieldResolver<unknown, { timeZone: string }> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const value = resolve(source, args, context, info);
        return value instanceof Promise ? value.then((v) => inZone(v, context.timeZone)) : inZone(value, context.timeZone);
      };
    }
  }
  return schema;
}
