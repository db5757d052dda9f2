// npm run migrate | npm run seed: the same steps npm start runs, one at a time.
import { DateTime } from 'luxon';
import { seedDemo } from '../../seeders/demo';
import { exitWithOneLine, loadConfigOrExit, openDatabase } from '../startup';

async function main(command: string | undefined): Promise<void> {
  if (command !== 'migrate' && command !== 'seed') exitWithOneLine('usage: ts-node src/cli/db.ts migrate|seed');
  const cfg = loadConfigOrExit();
  const sequelize = await openDatabase(cfg); // creates the database if missing and migrates
  try {
    if (command === 'seed') {
      const { counts } = await seedDemo(sequelize, { now: DateTime.utc() });
      process.stdout.write(`seeded: ${JSON.stringify(counts)}\n`);
    } else {
      process.stdout.write('database is migrated\n');
    }
  } finally {
    await sequelize.close();
  }
}

main(process.argv[2]).catch((error: Error) => exitWithOneLine(error.message));
