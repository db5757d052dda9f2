import DataLoader from 'dataloader';
import type { BlackoutRow, LabRow } from '../../db/rows';
import {
  addBlackout, createInstrument, updateInstrument, createInstitution, updateInstitution, createLab, updateLab, addLabManager, removeLabManager,
  labManagers, addClosureDays, checkClosureRange, clearInstrumentOpeningHours, importClosures, labClosedDays, listLabBlackouts,
  removeBlackout, removeClosureDays, setBookingRules, setInstrumentOpeningHours, setInstrumentStatus, setLabOpeningHours,
  setPublicHolidays, type LabClosedDay,
} from '../../lab-settings';
import type { GraphQLContext } from '../context';
import type { OpeningWindowInput, Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, pageSize, toPage } from '../pagination';
import { must, weekdayNumber } from './shared';
import { userErrors } from '../user-errors';


const windowsOf = (windows: readonly OpeningWindowInput[]) => windows.map((w) => ({ weekday: weekdayNumber(w.weekday), start: w.start, end: w.end }));

// Lab.holidays takes arguments, so its batch loader is keyed by them: one per (from, to) per request.
const closedDayLoaders = new WeakMap<object, Map<string, DataLoader<LabRow, LabClosedDay[]>>>();

function closedDayLoader(ctx: GraphQLContext, from: string, to: string): DataLoader<LabRow, LabClosedDay[]> {
  let byRange = closedDayLoaders.get(ctx.loaders);
  if (!byRange) closedDayLoaders.set(ctx.loaders, (byRange = new Map()));
  const key = `${from}/${to}`;
  let loader = byRange.get(key);
  if (!loader) {
    loader = new DataLoader<LabRow, LabClosedDay[], number>(
      async (labs) => {
        const days = await labClosedDays(labs, from, to, ctx.locale);
        return labs.map((lab) => days.get(lab.id) ?? []);
      },
      { cacheKeyFn: (lab) => lab.id },
    );
    byRange.set(key, loader);
  }
  return loader;
}

export const labSettingsResolvers: Resolvers = {
  Lab: {
    holidays: (lab, { from, to }, ctx) => {
      checkClosureRange(from, to);
      return closedDayLoader(ctx, from, to).load(lab);
    },
    blackouts: async (lab, { from, to, first, after }, { viewer }) => {
      const size = pageSize(first, 50);
      const page = { size, after: decodeCursor<[string, number]>(after, ['string', 'number']) };
      const rows = await listLabBlackouts(viewer, lab.id, { from: from ?? undefined, to: to ?? undefined }, page);
      return toPage(rows, size, (b: BlackoutRow) => [b.startAt.toISOString(), b.id]);
    },
    managers: (lab, _a, { viewer }) => (viewer.kind === 'USER' && viewer.isAdmin ? labManagers(viewer, lab.id) : null),
  },
  Instrument: {
    hasOwnOpeningHours: async (instrument, _a, { loaders }) => (await loaders.instrumentOpeningHours.load(instrument.id)).length > 0,
  },
  Blackout: {
    lab: async (b, _a, { loaders }) => must(await loaders.lab.load(b.labId), 'lab'),
    instrument: (b, _a, { loaders }) => (b.instrumentId ? loaders.instrument.load(b.instrumentId) : null),
    start: (b) => b.startAt,
    end: (b) => b.endAt,
  },
  Mutation: {
    setLabOpeningHours: async (_p, { input }, { viewer, locale }) => {
      const result = await setLabOpeningHours(viewer, { labId: parseId(input.labId, 'labId'), windows: windowsOf(input.windows) });
      return { lab: result.value, errors: userErrors(result.errors, { locale }) };
    },
    setInstrumentOpeningHours: async (_p, { input }, { viewer, locale }) => {
      const result = await setInstrumentOpeningHours(viewer, { instrumentId: parseId(input.instrumentId, 'instrumentId'), windows: windowsOf(input.windows) });
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    clearInstrumentOpeningHours: async (_p, { instrumentId }, { viewer, locale }) => {
      const result = await clearInstrumentOpeningHours(viewer, parseId(instrumentId, 'instrumentId'));
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    addBlackout: async (_p, { input }, { viewer, locale }) => {
      const result = await addBlackout(viewer, {
        labId: parseOptionalId(input.labId, 'labId'),
        instrumentId: parseOptionalId(input.instrumentId, 'instrumentId'),
        kind: input.kind ?? undefined,
        reason: input.reason ?? undefined,
        start: input.start,
        end: input.end,
      });
      return { blackout: result.value, errors: userErrors(result.errors, { locale }) };
    },
    removeBlackout: async (_p, { id }, { viewer, locale }) => {
      const result = await removeBlackout(viewer, parseId(id));
      return { removedId: result.value, errors: userErrors(result.errors, { locale }) };
    },
    addClosureDays: async (_p, { input }, { viewer, locale }) => {
      const result = await addClosureDays(viewer, { labId: parseId(input.labId, 'labId'), days: input.days, reason: input.reason });
      return { lab: result.value?.lab ?? null, days: result.value?.days ?? [], errors: userErrors(result.errors, { locale }) };
    },
    removeClosureDays: async (_p, { input }, { viewer, locale }) => {
      const result = await removeClosureDays(viewer, { labId: parseId(input.labId, 'labId'), days: input.days });
      return { lab: result.value?.lab ?? null, days: result.value?.days ?? [], errors: userErrors(result.errors, { locale }) };
    },
    importClosures: async (_p, { input }, { viewer, locale }) => {
      const result = await importClosures(viewer, { labId: parseId(input.labId, 'labId'), ics: input.ics, dryRun: input.dryRun ?? false });
      return { lab: result.value?.lab ?? null, days: result.value?.days ?? [], preview: result.value?.closures ?? null, errors: userErrors(result.errors, { locale }) };
    },
    setBookingRules: async (_p, { input }, { viewer, locale }) => {
      const { instrumentId, requiresApproval, accessPolicy, ...rules } = input;
      const patch = Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, v ?? undefined]));
      const access = { requiresApproval: requiresApproval ?? undefined, accessPolicy: accessPolicy ?? undefined };
      const result = await setBookingRules(viewer, parseId(instrumentId, 'instrumentId'), { ...patch, ...access });
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    setInstrumentStatus: async (_p, { input }, { viewer, locale }) => {
      const result = await setInstrumentStatus(viewer, parseId(input.instrumentId, 'instrumentId'), input.status);
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    createInstrument: async (_p, { input }, { viewer, locale }) => {
      const result = await createInstrument(viewer, {
        labId: parseId(input.labId, 'labId'),
        name: input.name,
        category: input.category,
        description: input.description ?? null,
        kind: input.kind ?? undefined,
        requiresApproval: input.requiresApproval ?? undefined,
        requiresCheckIn: input.requiresCheckIn ?? undefined,
        accessPolicy: input.accessPolicy ?? undefined,
      });
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    updateInstrument: async (_p, { input }, { viewer, locale }) => {
      const result = await updateInstrument(viewer, parseId(input.id), {
        name: input.name ?? undefined,
        category: input.category ?? undefined,
        description: input.description ?? undefined,
        kind: input.kind ?? undefined,
        requiresApproval: input.requiresApproval ?? undefined,
        requiresCheckIn: input.requiresCheckIn ?? undefined,
        accessPolicy: input.accessPolicy ?? undefined,
      });
      return { instrument: result.value, errors: userErrors(result.errors, { locale }) };
    },
    setPublicHolidays: async (_p, { input }, { viewer, locale }) => {
      const result = await setPublicHolidays(viewer, {
        labId: parseId(input.labId, 'labId'),
        observesPublicHolidays: input.observesPublicHolidays,
        holidayRegion: input.holidayRegion,
      });
      return { lab: result.value, errors: userErrors(result.errors, { locale }) };
    },
    createInstitution: async (_p, { input }, { viewer, locale }) => {
      const result = await createInstitution(viewer, { name: input.name, countryCode: input.countryCode, timeZone: input.timeZone });
      return { institution: result.value, errors: userErrors(result.errors, { locale }) };
    },
    updateInstitution: async (_p, { input }, { viewer, locale }) => {
      const result = await updateInstitution(viewer, parseId(input.id), {
        name: input.name ?? undefined, countryCode: input.countryCode ?? undefined, timeZone: input.timeZone ?? undefined,
      });
      return { institution: result.value, errors: userErrors(result.errors, { locale }) };
    },
    createLab: async (_p, { input }, { viewer, locale }) => {
      const result = await createLab(viewer, {
        institutionId: parseId(input.institutionId, 'institutionId'), name: input.name, countryCode: input.countryCode, timeZone: input.timeZone,
      });
      return { lab: result.value, errors: userErrors(result.errors, { locale }) };
    },
    updateLab: async (_p, { input }, { viewer, locale }) => {
      const result = await updateLab(viewer, parseId(input.id), {
        name: input.name ?? undefined, countryCode: input.countryCode ?? undefined, timeZone: input.timeZone ?? undefined,
      });
      return { lab: result.value, errors: userErrors(result.errors, { locale }) };
    },
    addLabManager: async (_p, { labId, email }, { viewer, loaders, locale }) => {
      const id = parseId(labId, 'labId');
      const result = await addLabManager(viewer, id, email);
      return { user: result.value, lab: result.value ? await loaders.lab.load(id) : null, errors: userErrors(result.errors, { locale }) };
    },
    removeLabManager: async (_p, { labId, userId }, { viewer, loaders, locale }) => {
      const id = parseId(labId, 'labId');
      const result = await removeLabManager(viewer, id, parseId(userId, 'userId'));
      return { user: result.value, lab: result.value ? await loaders.lab.load(id) : null, errors: userErrors(result.errors, { locale }) };
    },
  },
};
