// npm run token -- <email>: prints a bearer token for an existing user. A development tool: refused in production,
// where people sign in (/auth/sign-in) and scripts use personal access tokens (createPersonalAccessToken).
import { loadSigningSecret } from '../access/signing-secret';
import { issueToken } from '../access/tokens';
import { User } from '../db/models';
import { exitWithOneLine, loadConfigOrExit, openDatabase } from '../startup';

async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email) exitWithOneLine('usage: npm run token -- <email of a user>');
  const cfg = loadConfigOrExit();
  if (cfg.NODE_ENV === 'production') {
    exitWithOneLine('npm run token is a development tool and is refused in production: sign in at /auth/sign-in and create a personal access token (createPersonalAccessToken).');
  }
  // Migrated like the API's start-up, so the token is signed with the secret the API processes load.
  const sequelize = await openDatabase(cfg);
  try {
    await loadSigningSecret(cfg, sequelize);
    const user = await User.findOne({ where: { email }, raw: true });
    if (!user) exitWithOneLine(`no user with email ${email} (run npm start once to seed the demo)`);
    process.stdout.write(`${await issueToken(user.id, cfg)}\n`);
  } finally {
    await sequelize.close();
  }
}

main().catch((error: Error) => exitWithOneLine(error.message));
