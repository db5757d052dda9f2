import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type InstrumentKind = 'INSTRUMENT' | 'FACILITY';
export type InstrumentStatus = 'AVAILABLE' | 'MAINTENANCE' | 'RETIRED';
export type AccessPolicy = 'OPEN' | 'MEMBERS' | 'QUALIFIED';

export class Instrument extends Model<InferAttributes<Instrument>, InferCreationAttributes<Instrument>> {
  declare id: CreationOptional<number>;
  declare labId: number;
  declare kind: CreationOptional<InstrumentKind>;
  declare name: string;
  declare category: string;
  declare description: CreationOptional<string | null>;
  declare status: CreationOptional<InstrumentStatus>;
  declare requiresApproval: CreationOptional<boolean>;
  declare requiresCheckIn: CreationOptional<boolean>;
  declare accessPolicy: CreationOptional<AccessPolicy>;
  declare slotMinutes: CreationOptional<number>;
  declare minMinutes: CreationOptional<number>;
  declare maxMinutes: CreationOptional<number>;
  declare minNoticeMinutes: CreationOptional<number>;
  declare maxAdvanceDays: CreationOptional<number>;
  declare bufferAfterMinutes: CreationOptional<number>;
  declare bookingSeq: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Instrument.init(
      {
        id: { type: DataTypes.INTEGER.UNSIGNED, autoIncrement: true, primaryKey: true },
        labId: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false },
        kind: { type: DataTypes.ENUM('INSTRUMENT', 'FACILITY'), allowNull: false, defaultValue: 'INSTRUMENT' },
        name: { type: DataTypes.STRING(200), allowNull: false },
        category: { type: DataTypes.STRING(64), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.ENUM('AVAILABLE', 'MAINTENANCE', 'RETIRED'), allowNull: false, defaultValue: 'AVAILABLE' },
        requiresApproval: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        requiresCheckIn: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        accessPolicy: { type: DataTypes.ENUM('OPEN', 'MEMBERS', 'QUALIFIED'), allowNull: false, defaultValue: 'OPEN' },
        slotMinutes: { type: DataTypes.SMALLINT.UNSIGNED, allowNull: false, defaultValue: 30 },
        minMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 30 },
        maxMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 480 },
        minNoticeMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 60 },
        maxAdvanceDays: { type: DataTypes.SMALLINT.UNSIGNED, allowNull: false, defaultValue: 90 },
        bufferAfterMinutes: { type: DataTypes.INTEGER.UNSIGNED, allowNull: false, defaultValue: 0 },
        bookingSeq: { type: DataTypes.BIGINT.UNSIGNED, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: 'instruments' },
    );
  }
}
