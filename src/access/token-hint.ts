export const DEMO_RESEARCHER_EMAIL = 'lan.nguyen@vnu.example.edu.vn';

export function issueTokenHint(): string {
  return (
    `Get a token for a demo user:  npm run token -- ${DEMO_RESEARCHER_EMAIL}\n` +
    'Then send it as:              Authorization: Bearer <token>'
  );
}
