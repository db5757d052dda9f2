// Plain row shapes (what `raw: true` queries and DataLoaders return); GraphQL mappers point here.
import type { InferAttributes } from 'sequelize';
import type {
  ApiKey, InstrumentQualification, NotificationDelivery, WebhookSubscription,
  Blackout, Booking, BookingGroup, BookingHistory, Institution, Instrument, Lab, LabMembership, OpeningHour, UsageLog, User,
} from './models';

export type InstitutionRow = InferAttributes<Institution>;
export type UserRow = InferAttributes<User>;
export type LabRow = InferAttributes<Lab>;
export type LabMembershipRow = InferAttributes<LabMembership>;
export type InstrumentRow = InferAttributes<Instrument>;
export type OpeningHourRow = InferAttributes<OpeningHour>;
export type BlackoutRow = InferAttributes<Blackout>;
export type BookingRow = InferAttributes<Booking>;
export type BookingGroupRow = InferAttributes<BookingGroup>;
export type BookingHistoryRow = InferAttributes<BookingHistory>;
export type UsageLogRow = InferAttributes<UsageLog>;
export type ApiKeyRow = InferAttributes<ApiKey>;
export type WebhookSubscriptionRow = InferAttributes<WebhookSubscription>;
export type InstrumentQualificationRow = InferAttributes<InstrumentQualification>;
export type NotificationDeliveryRow = InferAttributes<NotificationDelivery>;
