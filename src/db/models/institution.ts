import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class Institution extends Model<InferAttributes<Institution>, InferCreationAttributes<Institution>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare countryCode: string;
  declare timeZone: string;
  /** Members may sign in with a link mailed to them (for institutions without an identity provider). */
  declare emailSignInEnabled: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Institution.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        countryCode: { type: DataTypes.CHAR(2), allowNull: false },
        timeZone: { type: DataTypes.STRING(64), allowNull: false },
        emailSignInEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'institutions' },
    );
  }
}
