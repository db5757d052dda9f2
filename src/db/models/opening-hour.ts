import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A weekly wall-clock window in the lab's zone; instrument_id set = an override for that instrument. */
export class OpeningHour extends Model<InferAttributes<OpeningHour>, InferCreationAttributes<OpeningHour>> {
  declare id: CreationOptional<number>;
  declare labId: number;
  declare instrumentId: CreationOptional<number | null>;
  declare weekday: number;
  declare startMinute: number;
  declare endMinute: number;

  static initModel(sequelize: Sequelize): void {
    OpeningHour.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        instrumentId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        weekday: { type: DataTypes.TINYINT.UNSIGNED, allowNull: false },
        startMinute: { type: DataTypes.SMALLINT.UNSIGNED, allowNull: false },
        endMinute: { type: DataTypes.SMALLINT.UNSIGNED, allowNull: false },
      },
      { sequelize, tableName: 'opening_hours', timestamps: false },
    );
  }
}
