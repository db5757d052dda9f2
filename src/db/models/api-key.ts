import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A partner institution's key: only its prefix and a SHA-256 hash are stored; the key is shown once. */
export class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
  declare id: CreationOptional<number>;
  declare institutionId: number;
  declare name: string;
  declare keyPrefix: string;
  declare keyHash: string;
  declare scopes: string[];
  declare createdBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare revokedAt: CreationOptional<Date | null>;
  declare lastUsedAt: CreationOptional<Date | null>;

  static initModel(sequelize: Sequelize): void {
    ApiKey.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        institutionId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false },
        keyPrefix: { type: DataTypes.STRING(16), allowNull: false },
        keyHash: { type: DataTypes.CHAR(64), allowNull: false },
        scopes: { type: DataTypes.JSON, allowNull: false },
        createdBy: { type: DataTypes.INTEGER.UNSIGNED, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
        revokedAt: { type: DataTypes.DATE(3), allowNull: true },
        lastUsedAt: { type: DataTypes.DATE(3), allowNull: true },
      },
      { sequelize, tableName: 'api_keys' },
    );
  }
}
