// DateTime carries an explicit offset in and out; TimeZone and LocalDate come from graphql-scalars.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { LocalDateResolver, TimeZoneResolver } from 'graphql-scalars';
import { DateTime } from 'luxon';
import { isValidTimeZone } from '../time-zone';
import { RenderedInstant } from './rendered-instant';

// An explicit designator is required: Z, ±hh:mm or ±hhmm or ±hh after the time.
const OFFSET_AT_END = /T[\d:.,]+(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

function parseDateTime(value: unknown): DateTime {
  if (typeof value !== 'string') {
    throw new GraphQLError('DateTime must be an ISO-8601 string with an offset, e.g. 2026-12-03T09:00:00+07:00.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (!OFFSET_AT_END.test(value)) {
    throw new GraphQLError(
      `DateTime "${value.slice(0, 64)}" has no offset: add Z or ±hh:mm, e.g. 2026-12-03T09:00:00+07:00.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) {
    throw new GraphQLError(`DateTime "${value.slice(0, 64)}" is not a valid ISO-8601 instant (${parsed.invalidExplanation ?? parsed.invalidReason}).`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return parsed;
}

/** Renders an instant with an explicit offset (the zone is applied by the viewer-zone field wrapper). */
export function serializeDateTime(value: unknown): string {
  if (value instanceof RenderedInstant) return value.iso;
  if (DateTime.isDateTime(value)) return value.toISO({ suppressMilliseconds: true }) as string;
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) as string;
  throw new GraphQLError('DateTime cannot represent this value.');
}

export const DateTimeScalar = new GraphQLScalarType<DateTime, string>({
  name: 'DateTime',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string, e.g. "2026-12-03T09:00:00+07:00".', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseDateTime(ast.value);
  },
});

// graphql-scalars' TimeZone builds Intl formatters for every value; answers for names already known valid
// skip that (the memo is pure, see time-zone.ts). Unknown names still get its validation and error.
const TimeZoneScalar = new GraphQLScalarType({
  ...TimeZoneResolver.toConfig(),
  serialize: (value) => (typeof value === 'string' && isValidTimeZone(value) ? value : TimeZoneResolver.serialize(value)),
  parseValue: (value) => (typeof value === 'string' && isValidTimeZone(value) ? value : TimeZoneResolver.parseValue(value)),
});

export const scalarResolvers = {
  DateTime: DateTimeScalar,
  TimeZone: TimeZoneScalar,
  LocalDate: LocalDateResolver,
};
