import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A whole lab-local day the lab is closed (a holiday date-holidays does not know, a campus shutdown). */
export class LabClosure extends Model<InferAttributes<LabClosure>, InferCreationAttributes<LabClosure>> {
  declare id: CreationOptional<number>;
  declare labId: number;
  /** yyyy-MM-dd in the lab's zone */
  declare day: string;
  declare reason: CreationOptional<string>;
  declare source: CreationOptional<'MANUAL' | 'ICS'>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    LabClosure.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        day: { type: DataTypes.DATEONLY, allowNull: false },
        reason: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        source: { type: DataTypes.ENUM('MANUAL', 'ICS'), allowNull: false, defaultValue: 'MANUAL' },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'lab_closures', updatedAt: false },
    );
  }
}
