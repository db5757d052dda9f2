// Public API of the pure scheduling core.
export * from './types';
export { openIntervals } from './opening-hours';
export { busyIntervals } from './busy-time';
export type { BusyKind } from './busy-time';
export { freeIntervals } from './free-time';
export { validateBooking } from './validate-booking';
export { formatInstant } from './format-instant';
export { publicHolidays, isCountrySupported } from './public-holidays';
export { parseIcsClosures, IcsParseError, MAX_ICS_CLOSURE_DAYS } from './ics-closures';
export { mergeIntervals, subtractIntervals, intersectIntervals } from './interval-set';
export { isOnSlotGrid, ceilToSlot, floorToSlot } from './slot-grid';
export { SUPPORTED_DATES, SUPPORTED_INSTANTS_TEXT, isSupportedDate, isSupportedInstant } from './supported-range';
