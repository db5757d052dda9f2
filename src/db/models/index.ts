// Registers every model on a Sequelize instance. Associations are declared for eager loads in admin paths;
// hot paths load related rows through DataLoaders instead.
import type { Sequelize } from 'sequelize';
import { Blackout } from './blackout';
import { Booking } from './booking';
import { BookingHistory } from './booking-history';
import { Institution } from './institution';
import { Instrument } from './instrument';
import { Lab } from './lab';
import { LabClosure } from './lab-closure';
import { LabMembership } from './lab-membership';
import { OpeningHour } from './opening-hour';
import { OutboxEvent } from './outbox-event';
import { UsageLog } from './usage-log';
import { User } from './user';

export { Blackout, Booking, BookingHistory, Institution, Instrument, Lab, LabClosure, LabMembership, OpeningHour, OutboxEvent, UsageLog, User };
export { BOOKING_STATUSES, HOLDING_STATUSES, type BookingStatus } from './booking';

let initialisedOn: Sequelize | undefined;

export function initModels(sequelize: Sequelize): void {
  if (initialisedOn === sequelize) return;
  initialisedOn = sequelize;
  for (const model of [Institution, User, Lab, LabMembership, Instrument, OpeningHour, Blackout, LabClosure, Booking, BookingHistory, UsageLog, OutboxEvent]) {
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
