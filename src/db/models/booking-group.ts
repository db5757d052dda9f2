import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Bookings requested together (several instruments, possibly in several labs), holding time all or nothing. */
export class BookingGroup extends Model<InferAttributes<BookingGroup>, InferCreationAttributes<BookingGroup>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare purpose: CreationOptional<string>;
  declare idempotencyKey: CreationOptional<string | null>;
  declare requestFingerprint: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    BookingGroup.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        userId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        purpose: { type: DataTypes.STRING(2000), allowNull: false, defaultValue: '' },
        idempotencyKey: { type: DataTypes.STRING(128), allowNull: true },
        requestFingerprint: { type: DataTypes.CHAR(64), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'booking_groups' },
    );
  }
}
