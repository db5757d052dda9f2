// The booking domain: one exported function per use case. Commands that change a booking are written on the
// skeleton in command.ts and write only through the store (store.ts).
export { requestBooking, type RequestBookingInput, type BookingDeps } from './request-booking';
export { approveBooking, rejectBooking, cancelBooking, expireBooking, completeBooking, markNoShow, type DecisionInput, type SystemChangeInput } from './change-status';
export { rescheduleBooking, type RescheduleInput } from './reschedule-booking';
export { checkIn, checkOut, CHECK_IN_EARLY_MINUTES, CHECK_OUT_GRACE_MINUTES } from './check-in';
export { listBookings, listPendingApprovals, findVisibleBooking, findVisibleBookingGroup, type BookingListFilter } from './queries';
export type { BookingError, BookingResult } from './errors';
export { requestBookingSeries, type RequestBookingSeriesInput } from './request-booking-series';
export { approveBookingSeries, rejectBookingSeries, cancelBookingSeries, type SeriesDecisionInput, type CancelSeriesInput, type SeriesScope } from './change-series';
export { findVisibleSeries, type SeriesResult, type OccurrenceView } from './series-result';
export { requestBookingGroup, type RequestBookingGroupInput, type BookingGroupItem } from './request-booking-group';
export { cancelBookingGroup, rescheduleBookingGroup, type CancelBookingGroupInput, type RescheduleBookingGroupInput } from './change-booking-group';
export { groupStatus, MAX_GROUP_ITEMS, type BookingGroupStatus, type BookingGroupWithParts, type BookingGroupResult } from './booking-groups';
