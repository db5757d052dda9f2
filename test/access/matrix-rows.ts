// The authorization matrix: for every Query and Mutation field, what each kind of caller gets. A new root field
// without a row fails test/access/authorization-matrix.test.ts. Adding one is one line:
//   row('myField', 'query($id: ID!) { myField(id: $id) { id } }', (w) => ({ id: w.lab.id }), LAB_MANAGERS),
// Outcomes: 'OK' (data, no errors), 'NULL' (the field is null: hidden or missing), or an error code, taken from
// the response's first error (extensions.code) or, for mutations, from the payload's first UserError.
import { DateTime } from 'luxon';
import { requestBookingSeries } from '../../src/booking';
import { ApiKey, Blackout, Booking, BookingGroup, WebhookSubscription } from '../../src/db/models';
import { addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { createSession } from '../../src/auth/sessions';
import { createPersonalAccessToken } from '../../src/auth/personal-access-tokens';
import { createIdentityProvider } from '../../src/auth/identity-providers';
import { config } from '../../src/config';
import { clock, NOW, ROLES, type Role, type World } from './world';

export type Outcome = 'OK' | 'NULL' | string;
export type Expectation = Record<Role, Outcome>;

export interface MatrixRow {
  field: string;
  /** Tells rows of the same field apart. */
  label?: string;
  query: string;
  /** Called once per caller, so a row that changes state can make fresh rows for each. */
  variables?: (world: World, role: Role) => Record<string, unknown> | Promise<Record<string, unknown>>;
  expect: Expectation;
}

const everyone = (outcome: Outcome): Expectation => Object.fromEntries(ROLES.map((r) => [r, outcome])) as Expectation;

/** Anyone, even without credentials, and partner keys. */
export const PUBLIC = everyone('OK');
/** Any signed-in person; partner keys reach only their allow-list (src/security/partner-allow-list.ts). */
export const SIGNED_IN: Expectation = { ...everyone('OK'), anonymous: 'UNAUTHENTICATED', partner: 'FORBIDDEN' };
/** The managers of `world.lab` and platform admins. */
export const LAB_MANAGERS: Expectation = { ...SIGNED_IN, researcher: 'FORBIDDEN', member: 'FORBIDDEN', otherManager: 'FORBIDDEN' };
export const ADMINS: Expectation = { ...LAB_MANAGERS, manager: 'FORBIDDEN' };
/** A booking of `world.users.member` on `world.lab`: strangers cannot tell it exists. */
const BOOKER_AND_LAB_MANAGERS: Expectation = { ...SIGNED_IN, researcher: 'NOT_FOUND', otherManager: 'NOT_FOUND' };

export const row = (
  field: string,
  query: string,
  variables: MatrixRow['variables'] | undefined,
  expect: Expectation,
  label?: string,
): MatrixRow => ({ field, query, variables, expect, label });

/** A fresh booking of the member on world.instrument, on a day of its own. */
async function memberBooking(w: World, attrs: { status?: 'PENDING' | 'CONFIRMED'; at?: { start: string; end: string }; checkedIn?: boolean } = {}) {
  const at = attrs.at ?? w.freshSlot();
  const booking = await makeBooking({
    instrumentId: w.instrument.id, userId: w.users.member.id, status: attrs.status ?? 'CONFIRMED', ...at,
    ...(attrs.checkedIn ? { checkedInAt: clock.now().toJSDate() } : {}),
  });
  return String(booking.id);
}
/** A fresh one-occurrence series of the member on world.instrument (PENDING when asked: as if it needed approval). */
async function memberSeries(w: World, attrs: { pending?: boolean } = {}) {
  const { start, end } = w.freshSlot();
  const member = w.users.member;
  const { series } = await requestBookingSeries(
    { kind: 'USER', userId: member.id, institutionId: member.institutionId, isAdmin: false, timeZone: 'UTC', locale: 'en' },
    { instrumentId: w.instrument.id, start: DateTime.fromISO(start), end: DateTime.fromISO(end), recurrence: 'FREQ=DAILY;COUNT=1', mode: 'ALL_OR_NOTHING' },
    { clock },
  );
  if (attrs.pending) await Booking.update({ status: 'PENDING' }, { where: { seriesId: series!.id } });
  return String(series!.id);
}
/** A fresh booking group of the member: one part on world.instrument, one in world.otherLab, on a day of their own. */
async function memberGroup(w: World) {
  const at = w.freshSlot();
  const group = await BookingGroup.create({ userId: w.users.member.id, purpose: 'matrix' });
  const elsewhere = await makeInstrument({ labId: w.otherLab.id });
  for (const instrumentId of [w.instrument.id, elsewhere.id]) await makeBooking({ instrumentId, userId: w.users.member.id, groupId: group.id, ...at });
  return String(group.id);
}
/** A fresh user who is a member of world.lab: its managers may see them (name, e-mail, institution). */
const labMember = async (w: World) => {
  const user = await makeUser();
  await addMember(user.id, w.lab.id, 'MEMBER');
  return user.id;
};
/** A booking running now (for check-in and check-out). */
const runningNow = { start: NOW, end: clock.now().plus({ hours: 1 }).toISO()! };

const everyDay = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
const freshInstrument = async (w: World) => String((await makeInstrument({ labId: w.lab.id })).id);
/** The member's own things: theirs and an admin's to end (sessions), theirs alone (tokens); others see NOT_FOUND. */
const MEMBERS_OWN: Expectation = { ...SIGNED_IN, researcher: 'NOT_FOUND', manager: 'NOT_FOUND', otherManager: 'NOT_FOUND' };
const memberSession = async (w: World) => String((await createSession({ userId: w.users.member.id, method: 'DEMO' }, config())).sessionId);
const memberToken = async (w: World) => {
  const viewer = { kind: 'USER' as const, userId: w.users.member.id, institutionId: w.institution.id, isAdmin: false, timeZone: 'UTC', locale: 'en' };
  return String((await createPersonalAccessToken(viewer, { name: 'matrix', expiresInDays: 1 })).token!.id);
};
const freshProvider = async (w: World) => {
  const admin = { kind: 'USER' as const, userId: w.users.admin.id, institutionId: w.institution.id, isAdmin: true, timeZone: 'UTC', locale: 'en' };
  const institution = await makeInstitution();
  const created = await createIdentityProvider(admin, { institutionId: institution.id, issuer: 'https://idp.matrix.test', clientId: 'c', clientSecret: 's', emailDomains: ['matrix.test'] }, config());
  return String(created.identityProvider!.id);
};

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1@test\r\nDTSTART;VALUE=DATE:20310102\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

export const MATRIX: MatrixRow[] = [
  // --- catalogue: public ---
  row('institutions', '{ institutions { nodes { id name } } }', undefined, PUBLIC),
  row('labs', '{ labs { nodes { id name } } }', undefined, PUBLIC),
  row('lab', 'query($id: ID!) { lab(id: $id) { id name } }', (w) => ({ id: w.lab.id }), PUBLIC),
  row('instruments', '{ instruments { nodes { id name } } }', undefined, PUBLIC),
  row('instrument', 'query($id: ID!) { instrument(id: $id) { id name } }', (w) => ({ id: w.instrument.id }), PUBLIC),
  row('availability', 'query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-03-05T00:00:00Z", to: "2030-03-06T00:00:00Z") { busy { start end } } }',
    (w) => ({ ids: [w.instrument.id] }), { ...SIGNED_IN, partner: 'OK' }),

  // --- people and bookings ---
  row('me', '{ me { id } }', undefined, SIGNED_IN),
  row('bookings', '{ bookings { nodes { id } } }', undefined, SIGNED_IN),
  row('myBookings', '{ myBookings { nodes { id } } }', undefined, SIGNED_IN),
  row('booking', 'query($id: ID!) { booking(id: $id) { id purpose } }', (w) => ({ id: w.secrets.bookingIds[0] }),
    { ...SIGNED_IN, researcher: 'NULL', otherManager: 'NULL' }, "another member's booking"),
  row('pendingApprovals', 'query($lab: ID!) { pendingApprovals(labId: $lab) { nodes { id } } }', (w) => ({ lab: w.lab.id }), LAB_MANAGERS),
  row('updateProfile', 'mutation { updateProfile(input: { locale: "zh-CN" }) { errors { code } } }', undefined, SIGNED_IN),
  row('ping', 'mutation { ping }', undefined, { ...PUBLIC, partner: 'FORBIDDEN' }),

  row('requestBooking', 'mutation($i: RequestBookingInput!) { requestBooking(input: $i) { booking { id } errors { code } } }',
    (w) => ({ i: { instrumentId: w.instrument.id, ...w.freshSlot() } }), SIGNED_IN, 'OPEN instrument'),
  row('requestBooking', 'mutation($i: RequestBookingInput!) { requestBooking(input: $i) { booking { id } errors { code } } }',
    (w) => ({ i: { instrumentId: w.qualifiedInstrument.id, ...w.freshSlot() } }),
    { ...SIGNED_IN, researcher: 'NOT_QUALIFIED', otherManager: 'NOT_QUALIFIED' }, 'QUALIFIED instrument: the member is qualified'),
  row('approveBooking', 'mutation($id: ID!) { approveBooking(input: { id: $id }) { booking { id } errors { code } } }',
    async (w) => ({ id: await memberBooking(w, { status: 'PENDING' }) }), { ...LAB_MANAGERS, researcher: 'NOT_FOUND', otherManager: 'NOT_FOUND' }),
  row('rejectBooking', 'mutation($id: ID!) { rejectBooking(input: { id: $id }) { booking { id } errors { code } } }',
    async (w) => ({ id: await memberBooking(w, { status: 'PENDING' }) }), { ...LAB_MANAGERS, researcher: 'NOT_FOUND', otherManager: 'NOT_FOUND' }),
  row('cancelBooking', 'mutation($id: ID!) { cancelBooking(input: { id: $id }) { booking { id } errors { code } } }',
    async (w) => ({ id: await memberBooking(w) }), BOOKER_AND_LAB_MANAGERS),
  row('rescheduleBooking', 'mutation($i: RescheduleBookingInput!) { rescheduleBooking(input: $i) { booking { id } errors { code } } }',
    async (w) => ({ i: { id: await memberBooking(w), ...w.freshSlot() } }), BOOKER_AND_LAB_MANAGERS),
  row('checkIn', 'mutation($id: ID!) { checkIn(bookingId: $id) { booking { id } errors { code } } }',
    async (w) => ({ id: await memberBooking(w, { at: runningNow }) }),
    { ...BOOKER_AND_LAB_MANAGERS, manager: 'NOT_FOUND', admin: 'NOT_FOUND' }, 'only the booker'),
  row('checkOut', 'mutation($id: ID!) { checkOut(bookingId: $id) { booking { id } errors { code } } }',
    async (w) => ({ id: await memberBooking(w, { at: runningNow, checkedIn: true }) }),
    { ...BOOKER_AND_LAB_MANAGERS, manager: 'NOT_FOUND', admin: 'NOT_FOUND' }, 'only the booker'),
  row('bookingSeries', 'query($id: ID!) { bookingSeries(id: $id) { id } }',
    async (w) => ({ id: await memberSeries(w) }), { ...SIGNED_IN, researcher: 'NULL', otherManager: 'NULL' }),
  row('requestBookingSeries', 'mutation($i: RequestBookingSeriesInput!) { requestBookingSeries(input: $i) { series { id } errors { code } } }',
    (w) => ({ i: { instrumentId: w.instrument.id, ...w.freshSlot(), recurrence: 'FREQ=DAILY;COUNT=1', mode: 'ALL_OR_NOTHING' } }), SIGNED_IN, 'OPEN instrument'),
  row('approveBookingSeries', 'mutation($id: ID!) { approveBookingSeries(input: { id: $id }) { series { id } errors { code } } }',
    async (w) => ({ id: await memberSeries(w, { pending: true }) }), { ...LAB_MANAGERS, researcher: 'NOT_FOUND', otherManager: 'NOT_FOUND' }),
  row('rejectBookingSeries', 'mutation($id: ID!) { rejectBookingSeries(input: { id: $id }) { series { id } errors { code } } }',
    async (w) => ({ id: await memberSeries(w, { pending: true }) }), { ...LAB_MANAGERS, researcher: 'NOT_FOUND', otherManager: 'NOT_FOUND' }),
  row('cancelBookingSeries', 'mutation($id: ID!) { cancelBookingSeries(input: { id: $id, scope: ALL }) { series { id } errors { code } } }',
    async (w) => ({ id: await memberSeries(w) }), BOOKER_AND_LAB_MANAGERS),

  // --- booking groups: seen and cancelled by whoever may see or change one part, moved by whoever may change every part ---
  row('bookingGroup', 'query($id: ID!) { bookingGroup(id: $id) { id status parts { id } } }', async (w) => ({ id: await memberGroup(w) }),
    { ...SIGNED_IN, researcher: 'NULL' }, "the member's group in two labs"),
  row('requestBookingGroup', 'mutation($i: RequestBookingGroupInput!) { requestBookingGroup(input: $i) { group { id } errors { code } } }',
    (w) => ({ i: { items: [{ instrumentId: w.instrument.id, ...w.freshSlot() }] } }), SIGNED_IN, 'OPEN instrument'),
  row('cancelBookingGroup', 'mutation($id: ID!) { cancelBookingGroup(input: { id: $id }) { group { id } errors { code } } }',
    async (w) => ({ id: await memberGroup(w) }), { ...SIGNED_IN, researcher: 'NOT_FOUND' }),
  row('rescheduleBookingGroup', 'mutation($id: ID!) { rescheduleBookingGroup(input: { id: $id, shiftMinutes: 60 }) { group { id } errors { code } } }',
    async (w) => ({ id: await memberGroup(w) }), { ...SIGNED_IN, researcher: 'NOT_FOUND', manager: 'FORBIDDEN', otherManager: 'FORBIDDEN' }),

  // --- qualifications: the lab's managers ---
  row('instrumentQualifications', 'query($id: ID!) { instrumentQualifications(instrumentId: $id) { nodes { user { id } } } }',
    (w) => ({ id: w.qualifiedInstrument.id }), LAB_MANAGERS),
  row('grantQualification', 'mutation($i: QualificationInput!) { grantQualification(input: $i) { qualification { grantedAt } errors { code } } }',
    async (w) => ({ i: { instrumentId: w.qualifiedInstrument.id, userId: await labMember(w) } }), LAB_MANAGERS, "a member of the instrument's lab"),
  row('grantQualification', 'mutation($i: QualificationInput!) { grantQualification(input: $i) { qualification { grantedAt } errors { code } } }',
    async (w) => ({ i: { instrumentId: w.qualifiedInstrument.id, userId: (await makeUser()).id } }), { ...LAB_MANAGERS, manager: 'NOT_FOUND' },
    'someone with no link to the lab: hidden from its managers like a user that does not exist'),
  row('revokeQualification', 'mutation($i: QualificationInput!) { revokeQualification(input: $i) { revoked errors { code } } }',
    async (w) => ({ i: { instrumentId: w.qualifiedInstrument.id, userId: await labMember(w) } }), LAB_MANAGERS),

  // --- partner keys and webhooks: platform admins ---
  row('apiKeys', '{ apiKeys { nodes { keyPrefix } } }', undefined, ADMINS),
  row('createApiKey', 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key errors { code } } }',
    (w) => ({ i: { institutionId: w.partnerInstitution.id, name: 'matrix', scopes: ['availability:read'] } }), ADMINS),
  row('revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } errors { code } } }',
    async (w) => ({ id: (await ApiKey.create({ institutionId: w.partnerInstitution.id, name: 'spare', keyPrefix: `lsk_${Math.random().toString(16).slice(2, 10)}`, keyHash: '0'.repeat(64), scopes: [] })).id }),
    ADMINS),
  row('webhookSubscriptions', 'query($id: ID!) { webhookSubscriptions(institutionId: $id) { nodes { url } } }', (w) => ({ id: w.partnerInstitution.id }), ADMINS),
  row('createWebhookSubscription', 'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret errors { code } } }',
    (w) => ({ i: { institutionId: w.partnerInstitution.id, url: 'https://hooks.partner.test/new' } }), ADMINS),
  row('updateWebhookSubscription', 'mutation($i: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $i) { subscription { active } errors { code } } }',
    async (w) => ({ i: { id: (await WebhookSubscription.create({ institutionId: w.partnerInstitution.id, url: 'https://h.test/x', secret: 's' })).id, active: false } }),
    ADMINS),
  row('deleteWebhookSubscription', 'mutation($id: ID!) { deleteWebhookSubscription(id: $id) { deleted errors { code } } }',
    async (w) => ({ id: (await WebhookSubscription.create({ institutionId: w.partnerInstitution.id, url: 'https://h.test/x', secret: 's' })).id }),
    ADMINS),

  row('sendWebhookTestEvent', 'mutation($id: ID!) { sendWebhookTestEvent(subscriptionId: $id) { eventId errors { code } } }',
    async (w) => ({ id: (await WebhookSubscription.create({ institutionId: w.partnerInstitution.id, url: 'https://h.test/x', secret: 's' })).id }),
    ADMINS),
  row('webhookDeliveries', '{ webhookDeliveries { nodes { id status } } }', undefined, ADMINS),

  // --- usage: the lab's managers ---
  row('usageLogs', 'query($lab: ID!) { usageLogs(filter: { labId: $lab }) { nodes { id } } }', (w) => ({ lab: w.lab.id }), LAB_MANAGERS),
  row('usageSummary', 'query($lab: ID!) { usageSummary(labId: $lab, from: "2030-03-01T00:00:00Z", to: "2030-04-01T00:00:00Z") { totals { hoursBooked } } }',
    (w) => ({ lab: w.lab.id }), LAB_MANAGERS),

  // --- lab settings: the lab's managers ---
  row('setLabOpeningHours', 'mutation($i: SetLabOpeningHoursInput!) { setLabOpeningHours(input: $i) { errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, windows: everyDay } }), LAB_MANAGERS),
  row('setInstrumentOpeningHours', 'mutation($i: SetInstrumentOpeningHoursInput!) { setInstrumentOpeningHours(input: $i) { errors { code } } }',
    async (w) => ({ i: { instrumentId: await freshInstrument(w), windows: everyDay } }), LAB_MANAGERS),
  row('clearInstrumentOpeningHours', 'mutation($id: ID!) { clearInstrumentOpeningHours(instrumentId: $id) { errors { code } } }',
    async (w) => ({ id: await freshInstrument(w) }), LAB_MANAGERS),
  row('addBlackout', 'mutation($i: AddBlackoutInput!) { addBlackout(input: $i) { blackout { id } errors { code } } }',
    async (w) => ({ i: { instrumentId: await freshInstrument(w), start: '2031-02-01T00:00:00Z', end: '2031-02-02T00:00:00Z' } }), LAB_MANAGERS),
  row('removeBlackout', 'mutation($id: ID!) { removeBlackout(id: $id) { removedId errors { code } } }',
    async (w) => ({ id: (await Blackout.create({ labId: w.lab.id, instrumentId: null, startAt: new Date('2031-03-01T00:00:00Z'), endAt: new Date('2031-03-02T00:00:00Z') })).id }),
    LAB_MANAGERS),
  row('addClosureDays', 'mutation($i: AddClosureDaysInput!) { addClosureDays(input: $i) { days errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, days: ['2031-01-01'], reason: 'New Year' } }), LAB_MANAGERS),
  row('removeClosureDays', 'mutation($i: RemoveClosureDaysInput!) { removeClosureDays(input: $i) { days errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, days: ['2031-01-01'] } }), LAB_MANAGERS),
  row('importClosures', 'mutation($i: ImportClosuresInput!) { importClosures(input: $i) { days errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, ics: ICS } }), LAB_MANAGERS),
  row('setBookingRules', 'mutation($i: SetBookingRulesInput!) { setBookingRules(input: $i) { errors { code } } }',
    async (w) => ({ i: { instrumentId: await freshInstrument(w), slotMinutes: 15 } }), LAB_MANAGERS),
  row('setInstrumentStatus', 'mutation($i: SetInstrumentStatusInput!) { setInstrumentStatus(input: $i) { errors { code } } }',
    async (w) => ({ i: { instrumentId: await freshInstrument(w), status: 'MAINTENANCE' } }), LAB_MANAGERS),
  row('createInstrument', 'mutation($i: CreateInstrumentInput!) { createInstrument(input: $i) { errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, name: 'Matrix microscope', category: 'Microscopy' } }), ADMINS),
  row('updateInstrument', 'mutation($i: UpdateInstrumentInput!) { updateInstrument(input: $i) { errors { code } } }',
    async (w) => ({ i: { id: await freshInstrument(w), name: 'Renamed by the matrix' } }), ADMINS),
  row('createInstitution', 'mutation($i: CreateInstitutionInput!) { createInstitution(input: $i) { errors { code } } }',
    () => ({ i: { name: 'Matrix institute', countryCode: 'TH', timeZone: 'Asia/Bangkok' } }), ADMINS),
  row('updateInstitution', 'mutation($i: UpdateInstitutionInput!) { updateInstitution(input: $i) { errors { code } } }',
    async () => ({ i: { id: String((await makeInstitution()).id), name: 'Renamed by the matrix' } }), ADMINS),
  row('createLab', 'mutation($i: CreateLabInput!) { createLab(input: $i) { errors { code } } }',
    (w) => ({ i: { institutionId: w.institution.id, name: 'Matrix lab', countryCode: 'TH', timeZone: 'Asia/Bangkok' } }), ADMINS),
  row('updateLab', 'mutation($i: UpdateLabInput!) { updateLab(input: $i) { errors { code } } }',
    async () => ({ i: { id: String((await makeLab()).id), name: 'Renamed by the matrix' } }), ADMINS),
  row('addLabManager', 'mutation($lab: ID!, $email: String!) { addLabManager(labId: $lab, email: $email) { errors { code } } }',
    async () => ({ lab: String((await makeLab()).id), email: (await makeUser()).email }), ADMINS),
  row('removeLabManager', 'mutation($lab: ID!, $user: ID!) { removeLabManager(labId: $lab, userId: $user) { errors { code } } }',
    async () => {
      const [lab, user] = [await makeLab(), await makeUser()];
      await addMember(user.id, lab.id, 'MANAGER');
      return { lab: String(lab.id), user: String(user.id) };
    }, ADMINS),
  row('setPublicHolidays', 'mutation($i: SetPublicHolidaysInput!) { setPublicHolidays(input: $i) { errors { code } } }',
    (w) => ({ i: { labId: w.lab.id, observesPublicHolidays: false } }), LAB_MANAGERS),

  // --- signing in: one's own sessions and tokens; identity providers, accounts and the audit for admins ---
  row('mySessions', '{ mySessions { id } }', undefined, SIGNED_IN),
  row('myPersonalAccessTokens', '{ myPersonalAccessTokens { id } }', undefined, SIGNED_IN),
  row('signOut', 'mutation { signOut { signedOut errors { code } } }', undefined, SIGNED_IN),
  row('revokeSession', 'mutation($id: ID!) { revokeSession(id: $id) { revoked errors { code } } }', async (w) => ({ id: await memberSession(w) }), MEMBERS_OWN),
  row('createPersonalAccessToken', 'mutation { createPersonalAccessToken(input: { name: "matrix" }) { token errors { code } } }', undefined, SIGNED_IN),
  row('revokePersonalAccessToken', 'mutation($id: ID!) { revokePersonalAccessToken(id: $id) { personalAccessToken { id } errors { code } } }',
    async (w) => ({ id: await memberToken(w) }), { ...MEMBERS_OWN, admin: 'NOT_FOUND' }),
  row('identityProviders', '{ identityProviders { id } }', undefined, ADMINS),
  row('signInAudit', '{ signInAudit { nodes { id } } }', undefined, ADMINS),
  row('createIdentityProvider', 'mutation($i: CreateIdentityProviderInput!) { createIdentityProvider(input: $i) { identityProvider { id } errors { code } } }',
    async () => ({ i: { institutionId: String((await makeInstitution()).id), issuer: 'https://idp.matrix.test', clientId: 'c', clientSecret: 's', emailDomains: ['matrix.test'] } }), ADMINS),
  row('updateIdentityProvider', 'mutation($i: UpdateIdentityProviderInput!) { updateIdentityProvider(input: $i) { identityProvider { id } errors { code } } }',
    async (w) => ({ i: { id: await freshProvider(w), enabled: false } }), ADMINS),
  row('deleteIdentityProvider', 'mutation($id: ID!) { deleteIdentityProvider(id: $id) { deleted errors { code } } }', async (w) => ({ id: await freshProvider(w) }), ADMINS),
  row('setEmailSignIn', 'mutation($id: ID!) { setEmailSignIn(institutionId: $id, enabled: true) { errors { code } } }', async () => ({ id: String((await makeInstitution()).id) }), ADMINS),
  row('setUserDisabled', 'mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { errors { code } } }', async () => ({ id: String((await makeUser()).id) }), ADMINS),
];
