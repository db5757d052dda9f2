import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class WebhookSubscription extends Model<InferAttributes<WebhookSubscription>, InferCreationAttributes<WebhookSubscription>> {
  declare id: CreationOptional<number>;
  declare institutionId: number;
  declare url: string;
  declare secret: string;
  /** null: every event type */
  declare eventTypes: CreationOptional<string[] | null>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    WebhookSubscription.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        institutionId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        url: { type: DataTypes.STRING(2000), allowNull: false },
        secret: { type: DataTypes.STRING(128), allowNull: false },
        eventTypes: { type: DataTypes.JSON, allowNull: true },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'webhook_subscriptions' },
    );
  }
}
