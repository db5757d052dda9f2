import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const BOOKING_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'COMPLETED', 'NO_SHOW'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses that hold the instrument: no two of these may overlap on one instrument. */
export const HOLDING_STATUSES: readonly BookingStatus[] = ['PENDING', 'CONFIRMED'];

export class Booking extends Model<InferAttributes<Booking>, InferCreationAttributes<Booking>> {
  declare id: CreationOptional<number>;
  declare instrumentId: number;
  declare userId: number;
  declare startAt: Date;
  declare endAt: Date;
  declare status: BookingStatus;
  declare purpose: CreationOptional<string>;
  declare idempotencyKey: CreationOptional<string | null>;
  declare requestFingerprint: CreationOptional<string | null>;
  declare decidedBy: CreationOptional<number | null>;
  declare decidedAt: CreationOptional<Date | null>;
  declare decisionNote: CreationOptional<string | null>;
  declare checkedInAt: CreationOptional<Date | null>;
  declare checkedOutAt: CreationOptional<Date | null>;
  /** The series this booking was booked in (requestBookingSeries); kept when the booking is moved on its own. */
  declare seriesId: CreationOptional<number | null>;
  /** The booking group this booking is a part of (requested with other instruments, all or nothing). */
  declare groupId: CreationOptional<number | null>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Booking.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        instrumentId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        userId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        startAt: { type: DataTypes.DATE(3), allowNull: false },
        endAt: { type: DataTypes.DATE(3), allowNull: false },
        status: { type: DataTypes.ENUM(...BOOKING_STATUSES), allowNull: false },
        purpose: { type: DataTypes.STRING(2000), allowNull: false, defaultValue: '' },
        idempotencyKey: { type: DataTypes.STRING(128), allowNull: true },
        requestFingerprint: { type: DataTypes.CHAR(64), allowNull: true },
        decidedBy: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        decidedAt: { type: DataTypes.DATE(3), allowNull: true },
        decisionNote: { type: DataTypes.STRING(2000), allowNull: true },
        checkedInAt: { type: DataTypes.DATE(3), allowNull: true },
        checkedOutAt: { type: DataTypes.DATE(3), allowNull: true },
        seriesId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        groupId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        version: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'bookings' },
    );
  }
}
