// The English catalog: one entry per UserErrorCode, a function of the error's parameters. Codes with several
// sentences pick one by params.reason. Instants arrive as epoch milliseconds with the zone to name them in.
import type { MessageParams } from '../../errors';
import type { Catalog } from '../render';
import { at, listing, minutesOf, plural } from '../format';

type Sentences = Record<string, (p: MessageParams) => string>;

const q = (value: unknown, max: number) => String(value ?? '').slice(0, max);
const pick = (table: Sentences, p: MessageParams, fallback: string) => (table[String(p.reason)] ?? (() => fallback))(p);

const BAD_INPUT: Sentences = {
  // bookings
  PURPOSE_TOO_LONG: (p) => `Purpose must be at most ${p.max} characters.`,
  IDEMPOTENCY_KEY_FORMAT: () => 'idempotencyKey must be 1–128 characters of letters, digits, _ . : -',
  NOTE_TOO_LONG: (p) => `A note must be at most ${p.max} characters.`,
  // booking series
  SERIES_MODE: () => 'mode must be ALL_OR_NOTHING or SKIP_CONFLICTS.',
  RECURRENCE_UNSUPPORTED: (p) => `The recurrence rule part ${q(p.part, 40)} is not supported; use only ${p.supported}.`,
  RECURRENCE_INVALID: (p) => `The recurrence rule part ${q(p.part, 40)} is not valid${p.max !== undefined ? ` (at most ${p.max})` : ''}.`,
  RECURRENCE_UNBOUNDED: () => 'A recurrence rule needs COUNT or UNTIL.',
  RECURRENCE_EMPTY: () => 'The recurrence rule gives no occurrence from the start on.',
  TOO_MANY_OCCURRENCES: (p) => `A series has at most ${p.max} occurrences.`,
  SERIES_BEYOND_MAX_ADVANCE: (p) => `Every occurrence of a series must end within the instrument's booking horizon of ${plural(Number(p.maxAdvanceDays), 'day')}.`,
  SERIES_SCOPE_NEEDS_BOOKING: () => 'Name the occurrence the scope starts at with fromBookingId.',
  // lab settings
  BLACKOUT_TARGET: () => 'Give labId for the whole lab or instrumentId for one instrument.',
  INSTRUMENT_NOT_IN_LAB: () => 'The instrument is not in this lab: give one of labId and instrumentId.',
  REASON_TOO_LONG: (p) => `reason must be at most ${p.max} characters.`,
  BLACKOUT_TOO_LONG: (p) => `A blackout lasts at most ${p.maxDays} days; for longer, set the instrument's status.`,
  NO_DAYS: () => 'Give at least one day.',
  TOO_MANY_DAYS: (p) => `At most ${p.max} days a call.`,
  NOT_A_SUPPORTED_DATE: (p) => `"${q(p.value, 20)}" is not a date between ${p.first} and ${p.last}.`,
  CLOSURE_REASON_MISSING: () => 'Say why the lab is closed (it is shown to researchers).',
  ICS_TOO_LARGE: (p) => `The .ics text may be at most ${p.maxKiB} KiB; split it into smaller imports.`,
  WHOLE_NUMBER: (p) => `${p.name} must be a whole number from ${p.min} to ${p.max} ${p.unit} (got ${p.value}).`,
  SLOT_DIVIDES_DAY: (p) => `slotMinutes must divide a day (1440 minutes) so every day has the same grid; ${p.value} does not.`,
  MIN_OVER_MAX: (p) => `minMinutes (${p.min}) may not exceed maxMinutes (${p.max}).`,
  MAX_UNDER_SLOT: (p) => `maxMinutes (${p.max}) is shorter than one slot (${p.slot}): nothing could be booked.`,
  TOO_MANY_WINDOWS: (p) => `At most ${p.max} windows a week (got ${p.count}).`,
  WEEKDAY: () => 'weekday must be Monday to Sunday.',
  START_TIME: (p) => `start "${q(p.value, 10)}" is not a time of day as HH:mm (00:00–23:59).`,
  END_TIME: (p) => `end "${q(p.value, 10)}" is not a time of day as HH:mm (00:01–24:00).`,
  END_NOT_AFTER_START_TIME: (p) => `end ${p.end} must be after start ${p.start} on the same day (use 24:00 for midnight).`,
  WINDOWS_OVERLAP: (p) => `Two windows overlap on weekday ${p.weekday}: join them into one.`,
  NO_WINDOWS: () => 'Give at least one window. To follow the lab again use clearInstrumentOpeningHours; to close the instrument set its status.',
  NO_HOLIDAY_DATA: (p) => `There is no public-holiday data for ${p.country}: add closure days (one by one or from an .ics file) instead.`,
  NOT_A_HOLIDAY_REGION: (p) => {
    const known = (p.known as string[]).length ? `one of ${(p.known as string[]).join(', ')}` : 'nothing: it has no regional holidays';
    return `"${q(p.value, 16)}" is not a holiday region of ${p.country}; expected ${known}.`;
  },
  // access: profile, keys, webhooks, qualifications
  NOT_A_TIME_ZONE: (p) => `"${p.value}" is not an IANA time zone.`,
  NOT_A_COUNTRY: (p) => `"${q(p.value, 16)}" is not an ISO 3166-1 alpha-2 country code (e.g. DE, CN, TH).`,
  NOT_A_LOCALE: (p) => `"${p.value}" is not a BCP 47 language tag (e.g. zh-CN, th, vi).`,
  NAME_LENGTH: (p) => `Name must be 1 to ${p.max} characters.`,
  NAME_NOT_ONE_LINE: () => 'Name must be one line of printable text: no line breaks, tabs or control characters.',
  UNKNOWN_SCOPE: (p) => `Unknown scope ${JSON.stringify(q(p.value, 40))}: known scopes are ${(p.known as string[]).join(', ')}.`,
  URL_TOO_LONG: (p) => `The URL must be at most ${p.max} characters.`,
  URL_NOT_ABSOLUTE: () => 'That is not an absolute URL, e.g. https://partner.example/hooks/labshare.',
  URL_NOT_HTTPS: () => 'Webhook URLs must use https.',
  URL_CREDENTIALS: () => 'Put no credentials in the URL: deliveries are signed with the secret instead.',
  URL_PRIVATE: (p) => `Webhook URLs must name a public host, not a loopback or private address: ${p.refusal}.`,
  NO_EVENT_TYPES: () => 'Give at least one event type, or omit eventTypes for all of them.',
  UNKNOWN_EVENT_TYPE: (p) => `Unknown event type ${JSON.stringify(q(p.value, 60))}: known types are ${(p.known as string[]).join(', ')}.`,
  EVENT_TYPES_AND_ALL: () => 'Give eventTypes or allEventTypes, not both.',
  SUBSCRIPTION_INACTIVE: () => 'This webhook is paused: activate it before sending a test event.',
  TEXT_LENGTH: (p) => `${p.name} must be 1 to ${p.max} characters.`,
  TEXT_NOT_ONE_LINE: (p) => `${p.name} must be one line of printable text: no line breaks, tabs or control characters.`,
  USER_BY_ID_OR_EMAIL: () => 'Name the user by userId or by email (exactly one).',
  NOT_AN_EMAIL: () => 'That is not an email address.',
  // sign-in administration
  ISSUER_URL: () => 'The issuer must be an https URL (at most 400 characters).',
  CLIENT_ID_LENGTH: () => 'The client id must be 1 to 255 characters.',
  CLIENT_SECRET_LENGTH: () => 'The client secret must be 1 to 1000 characters.',
  NOT_A_DOMAIN: (p) => `"${q(p.value, 60)}" is not a domain name.`,
  NO_EMAIL_DOMAIN: () => 'Name at least one e-mail domain.',
  NOT_A_CLAIM: (p) => `"${q(p.value, 60)}" is not a claim name.`,
  PROVIDER_EXISTS: () => 'This institution has a provider already: update it instead.',
  TOKEN_DAYS: (p) => `A token lives 1 to ${p.max} days.`,
  DISABLE_SELF: () => 'You cannot disable your own account.',
};

const NOT_FOUND: Record<string, string> = {
  booking: 'No such booking.',
  bookingOfYours: 'No such booking of yours.',
  bookingSeries: 'No such booking series.',
  instrument: 'No such instrument.',
  lab: 'No such lab.',
  blackout: 'No such blackout.',
  user: 'No such user.',
  institution: 'No such institution.',
  labManager: 'That user does not manage this lab.',
  session: 'No such session.',
  apiKey: 'No such API key.',
  token: 'No such token.',
  identityProvider: 'No such identity provider.',
  webhookSubscription: 'No such webhook subscription.',
};

const PAST_PARTICIPLE: Record<string, string> = {
  APPROVE: 'approved', REJECT: 'rejected', CANCEL: 'cancelled', EXPIRE: 'expired', COMPLETE: 'completed',
  MARK_NO_SHOW: 'marked as a no-show', RESCHEDULE: 'rescheduled', RESCHEDULE_FOR_APPROVAL: 'rescheduled',
  CHECK_IN: 'checked into', CHECK_OUT: 'checked out of',
};

const INVALID_STATE: Sentences = {
  STATUS: (p) =>
    p.action === 'CHECK_IN' || p.action === 'CHECK_OUT'
      ? `Only a CONFIRMED booking can be ${PAST_PARTICIPLE[String(p.action)]} (this one is ${p.status}).`
      : `A ${p.status} booking cannot be ${PAST_PARTICIPLE[String(p.action)]}.`,
  STARTS_IN_THE_PAST: () => 'This request starts in the past and can no longer be approved.',
  ALREADY_OVER: () => 'This booking is already over and cannot be cancelled.',
  ALREADY_STARTED: () => 'This booking has already started and cannot be moved.',
  NOTHING_TO_DECIDE: () => 'No occurrence of this series is waiting for a decision.',
  NOTHING_TO_CANCEL: () => 'No occurrence in this scope holds time that can still be cancelled.',
  NOT_CHECKED_IN: () => 'Check in before checking out.',
};

const INVALID_TIME_RANGE: Sentences = {
  INVALID_DATE_TIME: (p) => `The requested ${({ BOTH: 'start and end are', START: 'start is', END: 'end is' } as Record<string, string>)[String(p.which)]} not a valid date-time`,
  END_NOT_AFTER_START: (p) => `Ends at ${at(p.end, p.zone)}, which is not after its start at ${at(p.start, p.zone)}`,
  BOOKING_END_NOT_AFTER_START: () => 'The booking must end after it starts.',
  END_NOT_AFTER_START_FIELD: () => 'end must be after start.',
};

const OUTSIDE_OPENING_HOURS: Sentences = {
  BEFORE_OPENING: (p) => `Starts at ${at(p.start, p.zone)}, before the lab opens at ${at(p.opens, p.zone)}`,
  CLOSED: (p) => `Starts at ${at(p.start, p.zone)}, when the lab is closed (outside its opening hours)`,
  AFTER_CLOSING: (p) => `Ends at ${at(p.end, p.zone)}, after the lab closes at ${at(p.closes, p.zone)}`,
};

type Span = { start: number; end: number };

export const en: Catalog = {
  BAD_INPUT: (p) => pick(BAD_INPUT, p, 'This input is not valid.'),
  NOT_FOUND: (p) => NOT_FOUND[String(p.what)] ?? 'Not found.',
  FORBIDDEN: () => 'You are not allowed to do this.',
  INVALID_TIME_RANGE: (p) => pick(INVALID_TIME_RANGE, p, 'The time range is not valid.'),
  OUTSIDE_OPENING_HOURS: (p) => pick(OUTSIDE_OPENING_HOURS, p, 'Outside the lab\'s opening hours'),
  NOT_ALIGNED: (p) => {
    const parts = [p.start != null ? `starts at ${at(p.start, p.zone)}` : null, p.end != null ? `ends at ${at(p.end, p.zone)}` : null].filter((x): x is string => x !== null);
    const text = listing(parts);
    return `${text[0].toUpperCase()}${text.slice(1)}, off the lab's ${p.slotMinutes}-minute slot grid (lab time in ${p.labZone})`;
  },
  TOO_SHORT: (p) => `Lasts ${minutesOf(Number(p.lengthMs))}; the minimum is ${minutesOf(Number(p.minMinutes) * 60_000)}`,
  TOO_LONG: (p) =>
    p.reason === 'ANY_INSTRUMENT'
      ? `A booking lasts at most ${p.maxDays} days on any instrument.`
      : `Lasts ${minutesOf(Number(p.lengthMs))}; the maximum is ${minutesOf(Number(p.maxMinutes) * 60_000)}`,
  TOO_SOON: (p) =>
    p.reason === 'IN_THE_PAST'
      ? `Starts at ${at(p.start, p.zone)}, which is in the past`
      : `Starts at ${at(p.start, p.zone)}; bookings need ${minutesOf(Number(p.noticeMinutes) * 60_000)} notice, so the earliest start is ${at(p.earliestStart, p.zone)}`,
  TOO_FAR_AHEAD: (p) =>
    `Ends at ${at(p.end, p.zone)}; bookings may end at most ${plural(Number(p.maxAdvanceDays), 'day')} ahead, by ${at(p.latestEnd, p.zone)}`,
  BLACKOUT: (p) =>
    `Overlaps ${listing((p.blackouts as (Span & { reason: string })[]).map((b) => `the blackout "${b.reason}" from ${at(b.start, p.zone)} to ${at(b.end, p.zone)}`))}`,
  HOLIDAY: (p) => `The lab is closed on ${listing((p.days as { date: string; reason: string }[]).map((d) => `${d.date} (${d.reason})`))} (lab calendar, ${p.labZone})`,
  INSTRUMENT_UNAVAILABLE: (p) => `The instrument is ${p.status === 'MAINTENANCE' ? 'under maintenance' : 'retired'} and cannot be booked`,
  CONFLICT: (p) => {
    const spans = p.spans as Span[];
    const buffer = Number(p.bufferMinutes);
    const why = buffer > 0 ? ` (the instrument needs ${minutesOf(buffer * 60_000)} free after each booking)` : '';
    return `Overlaps ${spans.length === 1 ? 'an existing booking' : 'existing bookings'} from ${listing(spans.map((s) => `${at(s.start, p.zone)} to ${at(s.end, p.zone)}`))}${why}`;
  },
  SERIES_NOT_BOOKED: (p) =>
    p.reason === 'ALL_OR_NOTHING'
      ? `Nothing was booked: ${p.failed} of ${p.occurrences} occurrences cannot be booked (see each occurrence's problems).`
      : `None of the ${p.occurrences} occurrences can be booked (see each occurrence's problems).`,
  IDEMPOTENCY_KEY_REUSED: () => 'This idempotencyKey was already used for a different request: use a new key for a new booking.',
  INVALID_STATE: (p) => pick(INVALID_STATE, p, 'The booking is not in a state that allows this.'),
  STALE_VERSION: (p) => `This booking changed since you looked at it (your version ${p.expected}, now ${p.current}, status ${p.status}). Reload and try again.`,
  NOT_QUALIFIED: (p) =>
    p.reason === 'MEMBERS_ONLY' ? "Only this lab's members may book this instrument." : 'This instrument requires training: ask a lab manager to qualify you first.',
  CHECK_IN_WINDOW: (p) =>
    p.reason === 'CHECK_OUT'
      ? `Check-out closes ${p.minutes} minutes after the booking ends.`
      : `Check-in is open from ${p.minutes} minutes before the start until the end of the booking.`,
  INVALID_ICS: (p) => (p.reason === 'OUTSIDE_SUPPORTED_DATES' ? `The file closes ${p.date}, outside ${p.first} to ${p.last}.` : String(p.detail)),
};
