import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class BookingHistory extends Model<InferAttributes<BookingHistory>, InferCreationAttributes<BookingHistory>> {
  declare id: CreationOptional<number>;
  declare bookingId: number;
  declare actorUserId: number | null;
  declare fromStatus: string | null;
  declare toStatus: string;
  declare note: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    BookingHistory.init(
      {
        id: { type: DataTypes.BIGINT.UNSIGNED, autoIncrement: true, primaryKey: true },
        bookingId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        actorUserId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        fromStatus: { type: DataTypes.STRING(16), allowNull: true },
        toStatus: { type: DataTypes.STRING(16), allowNull: false },
        note: { type: DataTypes.STRING(2000), allowNull: true },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'booking_history', updatedAt: false },
    );
  }
}
