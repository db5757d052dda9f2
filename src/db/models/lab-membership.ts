import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type LabRole = 'MEMBER' | 'MANAGER';

export class LabMembership extends Model<InferAttributes<LabMembership>, InferCreationAttributes<LabMembership>> {
  declare id: CreationOptional<number>;
  declare labId: number;
  declare userId: number;
  declare role: LabRole;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    LabMembership.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        userId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        role: { type: DataTypes.ENUM('MEMBER', 'MANAGER'), allowNull: false, defaultValue: 'MEMBER' },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'lab_memberships' },
    );
  }
}
