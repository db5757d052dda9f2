// Registers every model on a Sequelize instance. Associations are declared for eager loads in admin paths;
// hot paths load related rows through DataLoaders instead.
import type { Sequelize } from 'sequelize';
import { ApiKey } from './api-key';
import { Blackout } from './blackout';
import { Booking } from './booking';
import { BookingGroup } from './booking-group';
import { BookingHistory } from './booking-history';
import { Institution } from './institution';
import { Instrument } from './instrument';
import { InstrumentQualification } from './instrument-qualification';
import { Lab } from './lab';
import { LabClosure } from './lab-closure';
import { LabMembership } from './lab-membership';
import { NotificationDelivery } from './notification-delivery';
import { OpeningHour } from './opening-hour';
import { OutboxEvent } from './outbox-event';
import { UsageLog } from './usage-log';
import { User } from './user';
import { WebhookSubscription } from './webhook-subscription';

export {
  ApiKey, Blackout, Booking, BookingGroup, BookingHistory, Institution, Instrument, InstrumentQualification, Lab, LabClosure, LabMembership,
  NotificationDelivery, OpeningHour, OutboxEvent, UsageLog, User, WebhookSubscription,
};
export { BOOKING_STATUSES, HOLDING_STATUSES, type BookingStatus } from './booking';

let initialisedOn: Sequelize | undefined;

export function initModels(sequelize: Sequelize): void {
  if (initialisedOn === sequelize) return;
  initialisedOn = sequelize;
  for (const model of [
    Institution, User, Lab, LabMembership, Instrument, OpeningHour, Blackout, LabClosure, Booking, BookingGroup, BookingHistory, UsageLog, OutboxEvent,
    ApiKey, WebhookSubscription, InstrumentQualification, NotificationDelivery,
  ]) {
    model.initModel(sequelize);
  }
  User.belongsTo(Institution, { foreignKey: 'institutionId', as: 'institution' });
  Lab.belongsTo(Institution, { foreignKey: 'institutionId', as: 'institution' });
  Instrument.belongsTo(Lab, { foreignKey: 'labId', as: 'lab' });
  Booking.belongsTo(Instrument, { foreignKey: 'instrumentId', as: 'instrument' });
  Booking.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  LabMembership.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  LabMembership.belongsTo(Lab, { foreignKey: 'labId', as: 'lab' });
}
