// DateTime carries an explicit offset in and out; TimeZone and LocalDate come from graphql-scalars. Instants and dates
// are held to the supported range (scheduling/supported-range.ts) here, before any resolver or library sees them.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { LocalDateResolver, TimeZoneResolver } from 'graphql-scalars';
import { DateTime } from 'luxon';
import { SUPPORTED_DATES, SUPPORTED_INSTANTS_TEXT, isSupportedDate, isSupportedInstant } from '../scheduling/supported-range';
import { isValidTimeZone } from '../time-zone';
import { RenderedInstant } from './rendered-instant';

// An explicit designator is required: Z, ±hh:mm or ±hhmm or ±hh after the time.
const OFFSET_AT_END = /T[\d:.,]+(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;
// The offsets places actually use: UTC−12:00 (Baker Island) to UTC+14:00 (Line Islands).
const MOST_WEST_MINUTES = -12 * 60;
const MOST_EAST_MINUTES = 14 * 60;

// Every refusal says what is accepted, so a client can fix any of them from the message alone.
const ACCEPTED = `A DateTime is an ISO-8601 instant from ${SUPPORTED_INSTANTS_TEXT} with an offset (Z, or -12:00 to +14:00), e.g. 2026-12-03T09:00:00+07:00.`;
const refuse = (problem: string) => new GraphQLError(`${problem} ${ACCEPTED}`, { extensions: { code: 'BAD_USER_INPUT' } });

function parseDateTime(value: unknown): DateTime {
  if (typeof value !== 'string') throw refuse('DateTime must be a string.');
  const shown = JSON.stringify(value.slice(0, 64));
  const designator = OFFSET_AT_END.exec(value);
  if (!designator) throw refuse(`DateTime ${shown} has no offset: add Z or ±hh:mm.`);
  const [, sign, hours, minutes = '00'] = designator;
  if (sign) {
    const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    // +99:99 would otherwise move the instant by days; +24:00 is no place's offset.
    if (Number(minutes) >= 60 || offset < MOST_WEST_MINUTES || offset > MOST_EAST_MINUTES) {
      throw refuse(`DateTime ${shown} has an offset no place uses.`);
    }
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw refuse(`DateTime ${shown} is not a valid ISO-8601 instant (${parsed.invalidExplanation ?? parsed.invalidReason}).`);
  if (!isSupportedInstant(parsed.toMillis())) throw refuse(`DateTime ${shown} is outside the supported range.`);
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
      throw refuse('DateTime must be a string.');
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

// graphql-scalars' LocalDate takes any year 0000–9999; dates are held to the same supported range as instants.
function supportedLocalDate(date: string): string {
  if (!isSupportedDate(date)) {
    throw new GraphQLError(`LocalDate "${date}" is outside the supported range: give a date from ${SUPPORTED_DATES.first} to ${SUPPORTED_DATES.last}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

const LocalDateScalar = new GraphQLScalarType<string, string>({
  ...LocalDateResolver.toConfig(),
  parseValue: (value) => supportedLocalDate(LocalDateResolver.parseValue(value) as string),
  parseLiteral: (ast, variables) => supportedLocalDate(LocalDateResolver.parseLiteral(ast, variables) as string),
});

/**
 * graphql-tools copies every own property of a scalar resolver onto the SDL's type, an empty description too; without
 * one the description in schema/scalars.graphql (the contract, which names the supported range) is what clients see.
 */
function withSdlDescription(scalar: GraphQLScalarType): GraphQLScalarType {
  delete (scalar as { description?: unknown }).description;
  return scalar;
}

export const scalarResolvers = {
  DateTime: withSdlDescription(DateTimeScalar),
  TimeZone: withSdlDescription(TimeZoneScalar),
  LocalDate: withSdlDescription(LocalDateScalar),
};
