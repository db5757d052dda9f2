import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class Lab extends Model<InferAttributes<Lab>, InferCreationAttributes<Lab>> {
  declare id: CreationOptional<number>;
  declare institutionId: number;
  declare name: string;
  declare countryCode: string;
  declare timeZone: string;
  declare observesPublicHolidays: CreationOptional<boolean>;
  declare holidayRegion: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Lab.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        institutionId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false },
        countryCode: { type: DataTypes.CHAR(2), allowNull: false },
        timeZone: { type: DataTypes.STRING(64), allowNull: false },
        observesPublicHolidays: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        holidayRegion: { type: DataTypes.STRING(16), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'labs' },
    );
  }
}
