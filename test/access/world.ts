// One small world with a caller of every kind, for the authorization matrix and the partner privacy walk.
import { DateTime } from 'luxon';
import { createApiKey } from '../../src/access/api-keys';
import type { UserViewer } from '../../src/access/viewer';
import { fixedClock } from '../../src/clock';
import { Blackout, InstrumentQualification, LabClosure, WebhookSubscription } from '../../src/db/models';
import type { InstitutionRow, InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { addMember, EVERY_DAY, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer } from '../helpers/server';

export const ROLES = ['anonymous', 'researcher', 'member', 'manager', 'otherManager', 'admin', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** "Now" for every request of these suites: bookings below lie after it. */
export const NOW = '2030-03-04T02:00:00Z';
export const clock = fixedClock(NOW);

export interface World {
  institution: InstitutionRow;
  partnerInstitution: InstitutionRow;
  lab: LabRow;
  otherLab: LabRow;
  /** OPEN, no approval: anyone signed in may book. */
  instrument: InstrumentRow;
  /** QUALIFIED: only users a manager qualified (and the lab's managers, admins). */
  qualifiedInstrument: InstrumentRow;
  users: Record<Exclude<Role, 'anonymous' | 'partner'>, UserRow>;
  partnerKey: string;
  headers: Record<Role, Record<string, string>>;
  /** Details only the people involved may see; none may reach a partner. */
  secrets: { names: string[]; emails: string[]; purposes: string[]; bookingIds: number[] };
  /** A fresh day (09:00–10:00 UTC) for each call, so bookings made by different cells never collide. */
  freshSlot(): { start: string; end: string };
}

let dayOffset = 0;

export async function buildWorld(): Promise<World> {
  const institution = await makeInstitution({ name: 'Yunnan University', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
  const partnerInstitution = await makeInstitution({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' });
  const person = (key: string, attrs: Partial<UserRow> = {}) =>
    makeUser({ institutionId: institution.id, name: `Secret Person ${key}`, email: `${key.toLowerCase()}.private@people.test`, ...attrs });
  const users = {
    researcher: await person('Researcher'),
    member: await person('Member'),
    manager: await person('Manager'),
    otherManager: await person('OtherManager'),
    admin: await person('Admin', { isAdmin: true }),
  };
  const lab = await makeLab({ institutionId: institution.id, name: 'Kunming Joint Lab', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
  const otherLab = await makeLab({ institutionId: institution.id, name: 'Hanoi Imaging Lab', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
  await addMember(users.member.id, lab.id, 'MEMBER');
  await addMember(users.manager.id, lab.id, 'MANAGER');
  await addMember(users.otherManager.id, otherLab.id, 'MANAGER');
  await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
  await setHours({ labId: otherLab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
  const instrument = await makeInstrument({ labId: lab.id, name: 'Orbitrap Exploris', accessPolicy: 'OPEN', description: 'High-resolution MS' });
  const qualifiedInstrument = await makeInstrument({ labId: lab.id, name: 'Titan Krios', accessPolicy: 'QUALIFIED' });
  await makeInstrument({ labId: otherLab.id, name: 'Confocal LSM 980' });

  // Bookings and records that name people, on the instruments partners may read about.
  const purposes = ['PURPOSE-SECRET proteomics of patient 17', 'PURPOSE-SECRET thesis chapter 3'];
  // Ids no other row has, so finding one in a response can only mean a booking id leaked.
  const b1 = await makeBooking({
    id: 7_770_001, instrumentId: instrument.id, userId: users.member.id, start: '2030-03-05T01:00:00Z', end: '2030-03-05T03:00:00Z', purpose: purposes[0],
  });
  const b2 = await makeBooking({
    id: 7_770_002, instrumentId: qualifiedInstrument.id, userId: users.researcher.id, start: '2030-03-05T04:00:00Z', end: '2030-03-05T05:00:00Z',
    purpose: purposes[1], status: 'PENDING',
  });
  // Free text managers type may name people too: partners get the busy time, never the reason.
  await Blackout.create({
    labId: lab.id, instrumentId: instrument.id, kind: 'TRAINING', reason: `Training for ${users.member.name}`,
    startAt: new Date('2030-03-06T01:00:00Z'), endAt: new Date('2030-03-06T03:00:00Z'),
  });
  await LabClosure.create({ labId: lab.id, day: '2030-03-08', reason: `Farewell of ${users.manager.name}` });
  await InstrumentQualification.create({ instrumentId: qualifiedInstrument.id, userId: users.member.id, grantedBy: users.manager.id });
  await WebhookSubscription.create({ institutionId: partnerInstitution.id, url: 'https://hooks.partner.test/labshare', secret: 'whsec_secret' });

  const adminViewer: UserViewer = { kind: 'USER', userId: users.admin.id, institutionId: institution.id, isAdmin: true, timeZone: 'UTC', locale: 'en' };
  const created = await createApiKey(adminViewer, { institutionId: partnerInstitution.id, name: 'Partner portal', scopes: ['availability:read'] });
  const partnerKey = created.key!;

  const headers = {
    anonymous: {},
    researcher: await bearer(users.researcher.id),
    member: await bearer(users.member.id),
    manager: await bearer(users.manager.id),
    otherManager: await bearer(users.otherManager.id),
    admin: await bearer(users.admin.id),
    partner: { authorization: `ApiKey ${partnerKey}` },
  };
  const everyone = Object.values(users);
  return {
    institution, partnerInstitution, lab, otherLab, instrument, qualifiedInstrument, users, partnerKey, headers,
    secrets: { names: everyone.map((u) => u.name), emails: everyone.map((u) => u.email), purposes, bookingIds: [b1.id, b2.id] },
    freshSlot() {
      dayOffset += 1;
      const start = DateTime.fromISO('2030-04-01T09:00:00Z', { zone: 'utc' }).plus({ days: dayOffset });
      return { start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()! };
    },
  };
}
