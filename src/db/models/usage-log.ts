import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type UsageOutcome = 'COMPLETED' | 'NO_SHOW';

export class UsageLog extends Model<InferAttributes<UsageLog>, InferCreationAttributes<UsageLog>> {
  declare id: CreationOptional<number>;
  declare bookingId: number;
  declare instrumentId: number;
  declare labId: number;
  declare userId: number;
  declare institutionId: number;
  declare outcome: UsageOutcome;
  declare bookedMinutes: number;
  declare usedMinutes: number;
  declare startAt: Date;
  declare endAt: Date;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    UsageLog.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        bookingId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        instrumentId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        userId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        institutionId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        outcome: { type: DataTypes.ENUM('COMPLETED', 'NO_SHOW'), allowNull: false },
        bookedMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        usedMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        startAt: { type: DataTypes.DATE(3), allowNull: false },
        endAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'usage_logs', updatedAt: false },
    );
  }
}
