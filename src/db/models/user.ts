import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare institutionId: number;
  declare email: string;
  declare name: string;
  declare timeZone: CreationOptional<string>;
  declare locale: CreationOptional<string>;
  declare isAdmin: CreationOptional<boolean>;
  /** Reminders before a confirmed booking, as MariaDB returns a SET: 'DAY_BEFORE,HOUR_BEFORE', one of them, or ''. */
  declare reminders: CreationOptional<string>;
  declare approvalMail: CreationOptional<'EACH_REQUEST' | 'DAILY_DIGEST'>;
  /** Set by an admin: the user cannot sign in, and every session and token stops working. */
  declare disabledAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    User.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        institutionId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false },
        timeZone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
        locale: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'en' },
        isAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        reminders: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'DAY_BEFORE,HOUR_BEFORE' },
        approvalMail: { type: DataTypes.ENUM('EACH_REQUEST', 'DAILY_DIGEST'), allowNull: false, defaultValue: 'EACH_REQUEST' },
        disabledAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'users' },
    );
  }
}
