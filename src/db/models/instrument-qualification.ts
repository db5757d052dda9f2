import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A user a lab manager has trained on an instrument whose access policy is QUALIFIED. */
export class InstrumentQualification extends Model<InferAttributes<InstrumentQualification>, InferCreationAttributes<InstrumentQualification>> {
  declare id: CreationOptional<number>;
  declare instrumentId: number;
  declare userId: number;
  declare grantedBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    InstrumentQualification.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        instrumentId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        userId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        grantedBy: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'instrument_qualifications' },
    );
  }
}
