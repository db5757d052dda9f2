// Lab settings: what lab managers set so the scheduler knows when instruments can be booked.
export { setLabOpeningHours, setInstrumentOpeningHours, clearInstrumentOpeningHours, parseOpeningWindows, type OpeningWindowInput } from './opening-hours';
export { addBlackout, removeBlackout, listLabBlackouts, type AddBlackoutInput, type BlackoutListPage } from './blackouts';
export { addClosureDays, removeClosureDays, importClosures, labClosedDays, checkClosureRange, type LabClosedDay, type ClosureChange } from './closures';
export { setBookingRules, setInstrumentStatus, bookingRulesErrors, type BookingRulesPatch, type BookingAccessPatch } from './instrument-rules';
export { setPublicHolidays, holidayRegions } from './public-holidays';
export { createInstrument, updateInstrument, type InstrumentDescription } from './instruments';
export type { SettingsError, SettingsResult } from './errors';
export { createInstitution, updateInstitution, createLab, updateLab, addLabManager, removeLabManager, labManagers, isCountryCode, type PlaceDescription } from './labs-admin';
