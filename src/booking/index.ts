// The booking domain: one exported function per use case.
export { requestBooking, type RequestBookingInput, type BookingDeps } from './request-booking';
export { approveBooking, rejectBooking, cancelBooking, systemTransition, type DecisionInput } from './change-status';
export { rescheduleBooking, type RescheduleInput } from './reschedule-booking';
export { checkIn, checkOut, CHECK_IN_EARLY_MINUTES, CHECK_OUT_GRACE_MINUTES } from './check-in';
export { listBookings, listPendingApprovals, findVisibleBooking, type BookingListFilter } from './queries';
export type { BookingError, BookingResult } from './errors';
