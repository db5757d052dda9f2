import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An event written in the same transaction as the state change it describes; the relay hands it to BullMQ. */
export class OutboxEvent extends Model<InferAttributes<OutboxEvent>, InferCreationAttributes<OutboxEvent>> {
  declare id: CreationOptional<number>;
  declare eventId: string;
  declare type: string;
  declare aggregateType: string;
  declare aggregateId: string;
  declare payload: Record<string, unknown>;
  declare createdAt: CreationOptional<Date>;
  declare dispatchedAt: CreationOptional<Date | null>;
  declare dispatchAttempts: CreationOptional<number>;

  static initModel(sequelize: Sequelize): void {
    OutboxEvent.init(
      {
        id: { type: DataTypes.BIGINT.UNSIGNED, autoIncrement: true, primaryKey: true },
        eventId: { type: DataTypes.CHAR(36), allowNull: false },
        type: { type: DataTypes.STRING(64), allowNull: false },
        aggregateType: { type: DataTypes.STRING(32), allowNull: false },
        aggregateId: { type: DataTypes.STRING(64), allowNull: false },
        payload: { type: DataTypes.JSON, allowNull: false },
        createdAt: DataTypes.DATE(3),
        dispatchedAt: { type: DataTypes.DATE(3), allowNull: true },
        dispatchAttempts: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: 'outbox_events', updatedAt: false },
    );
  }
}
