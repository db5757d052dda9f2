import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type BlackoutKind = 'MAINTENANCE' | 'TRAINING' | 'OTHER';

/** instrument_id null = the whole lab is closed over [start_at, end_at). */
export class Blackout extends Model<InferAttributes<Blackout>, InferCreationAttributes<Blackout>> {
  declare id: CreationOptional<number>;
  declare labId: number;
  declare instrumentId: CreationOptional<number | null>;
  declare kind: CreationOptional<BlackoutKind>;
  declare reason: CreationOptional<string>;
  declare startAt: Date;
  declare endAt: Date;
  declare createdBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Blackout.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        instrumentId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        kind: { type: DataTypes.ENUM('MAINTENANCE', 'TRAINING', 'OTHER'), allowNull: false, defaultValue: 'OTHER' },
        reason: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        startAt: { type: DataTypes.DATE(3), allowNull: false },
        endAt: { type: DataTypes.DATE(3), allowNull: false },
        createdBy: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'blackouts', updatedAt: false },
    );
  }
}
