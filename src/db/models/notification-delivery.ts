import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type DeliveryChannel = 'EMAIL' | 'WEBHOOK';
export type DeliveryStatus = 'PENDING' | 'SENT' | 'FAILED';

/** One message to one recipient for one event; the unique (eventKey, channel, recipientHash) makes retries no-ops. */
export class NotificationDelivery extends Model<InferAttributes<NotificationDelivery>, InferCreationAttributes<NotificationDelivery>> {
  declare id: CreationOptional<number>;
  declare eventKey: string;
  declare channel: DeliveryChannel;
  declare recipient: string;
  declare recipientHash: string;
  declare status: CreationOptional<DeliveryStatus>;
  declare attempts: CreationOptional<number>;
  declare lastError: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare sentAt: CreationOptional<Date | null>;

  static initModel(sequelize: Sequelize): void {
    NotificationDelivery.init(
      {
        id: { type: DataTypes.BIGINT.UNSIGNED, autoIncrement: true, primaryKey: true },
        eventKey: { type: DataTypes.STRING(128), allowNull: false },
        channel: { type: DataTypes.ENUM('EMAIL', 'WEBHOOK'), allowNull: false },
        recipient: { type: DataTypes.STRING(2000), allowNull: false },
        recipientHash: { type: DataTypes.CHAR(64), allowNull: false },
        status: { type: DataTypes.ENUM('PENDING', 'SENT', 'FAILED'), allowNull: false, defaultValue: 'PENDING' },
        attempts: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 0 },
        lastError: { type: DataTypes.STRING(2000), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
        sentAt: { type: DataTypes.DATE(3), allowNull: true },
      },
      { sequelize, tableName: 'notification_deliveries' },
    );
  }
}
