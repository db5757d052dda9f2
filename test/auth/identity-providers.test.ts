import { expect } from 'chai';
import { User } from '../../src/db/models';
import { rawQuery } from '../../src/db/raw';
import { decryptSecret } from '../../src/auth/secrets';
import { recordSignIn } from '../../src/auth/audit';
import { config } from '../../src/config';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const CREATE = `mutation ($input: CreateIdentityProviderInput!) {
  createIdentityProvider(input: $input) { identityProvider { id issuer clientId emailDomains emailClaim enabled institution { id } } errors { code field } }
}`;

describe('identity providers and the sign-in audit (GraphQL, platform admins)', () => {
  let server: TestServer;
  let institutionId: number;
  let admin: Record<string, string>;
  let researcher: Record<string, string>;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  beforeEach(async () => {
    await resetTables(['identity_providers', 'sign_in_audit', 'users', 'institutions']);
    institutionId = (await makeInstitution({ name: 'Universiti Malaya', countryCode: 'MY', timeZone: 'Asia/Kuala_Lumpur' })).id;
    admin = await bearer((await makeUser({ isAdmin: true, institutionId })).id);
    researcher = await bearer((await makeUser({ institutionId })).id);
  });

  const input = (extra: Record<string, unknown> = {}) => ({
    institutionId: String(institutionId), issuer: 'https://sso.um.example.edu.my', clientId: 'labshare', clientSecret: 's3cret-value', emailDomains: ['UM.example.edu.my'], ...extra,
  });

  it('stores the client secret encrypted and never returns it', async () => {
    const created = await server.gql(CREATE, { input: input() }, admin);
    const provider = created.data!.createIdentityProvider.identityProvider;
    expect(provider).to.deep.include({ issuer: 'https://sso.um.example.edu.my', clientId: 'labshare', emailDomains: ['um.example.edu.my'], emailClaim: 'email', enabled: true });
    expect(JSON.stringify(created)).to.not.contain('s3cret-value');
    const [row] = await rawQuery<{ secret: string }[]>(User.sequelize!, 'SELECT client_secret_encrypted AS secret FROM identity_providers', []);
    expect(row.secret).to.not.contain('s3cret');
    expect(decryptSecret(row.secret, config())).to.equal('s3cret-value');

    // Replaceable, still write-only.
    const updated = await server.gql('mutation ($input: UpdateIdentityProviderInput!) { updateIdentityProvider(input: $input) { identityProvider { clientId } errors { code } } }', { input: { id: provider.id, clientSecret: 'new-secret', clientId: 'labshare-2' } }, admin);
    expect(updated.data!.updateIdentityProvider).to.deep.equal({ identityProvider: { clientId: 'labshare-2' }, errors: [] });
    const [after] = await rawQuery<{ secret: string }[]>(User.sequelize!, 'SELECT client_secret_encrypted AS secret FROM identity_providers', []);
    expect(decryptSecret(after.secret, config())).to.equal('new-secret');
    const listed = await server.gql('{ identityProviders { id clientId } }', undefined, admin);
    expect(listed.data!.identityProviders).to.deep.equal([{ id: provider.id, clientId: 'labshare-2' }]);
  });

  it('explains bad input field by field, and refuses a second provider for one institution', async () => {
    const bad = await server.gql(CREATE, { input: input({ issuer: 'ftp://nope', emailDomains: ['not a domain'], nameClaim: 'bad claim!' }) }, admin);
    expect(bad.data!.createIdentityProvider.errors.map((e: { field: string }) => e.field)).to.deep.equal(['issuer', 'emailDomains', 'nameClaim']);
    expect((await server.gql(CREATE, { input: input() }, admin)).data!.createIdentityProvider.errors).to.deep.equal([]);
    const second = await server.gql(CREATE, { input: input() }, admin);
    expect(second.data!.createIdentityProvider.errors).to.deep.equal([{ code: 'BAD_INPUT', field: 'institutionId' }]);
  });

  it('is for platform admins only', async () => {
    const refused = await server.gql(CREATE, { input: input() }, researcher);
    expect(refused.errors![0].extensions!.code).to.equal('FORBIDDEN');
    expect((await server.gql('{ identityProviders { id } }', undefined, researcher)).errors![0].extensions!.code).to.equal('FORBIDDEN');
    expect((await server.gql('{ signInAudit { nodes { id } } }', undefined, researcher)).errors![0].extensions!.code).to.equal('FORBIDDEN');
  });

  it('turns e-mail sign-in on for an institution', async () => {
    const on = await server.gql('mutation ($id: ID!) { setEmailSignIn(institutionId: $id, enabled: true) { institution { emailSignInEnabled } errors { code } } }', { id: String(institutionId) }, admin);
    expect(on.data!.setEmailSignIn).to.deep.equal({ institution: { emailSignInEnabled: true }, errors: [] });
  });

  it('lists sign-ins and failed sign-ins for admins, newest first, failures alone on request', async () => {
    await recordSignIn({ kind: 'OIDC', outcome: 'SUCCESS', email: 'a@um.example.edu.my', clientAddress: '10.0.0.1' });
    await recordSignIn({ kind: 'OIDC', outcome: 'EMAIL_OUTSIDE_DOMAINS', email: 'b@gmail.example', issuer: 'https://sso.um.example.edu.my' });
    await recordSignIn({ kind: 'EMAIL_LINK', outcome: 'LINK_INVALID' });
    const all = await server.gql('{ signInAudit(first: 2) { nodes { kind outcome email } pageInfo { hasNextPage endCursor } } }', undefined, admin);
    expect(all.data!.signInAudit.nodes).to.deep.equal([
      { kind: 'EMAIL_LINK', outcome: 'LINK_INVALID', email: null },
      { kind: 'OIDC', outcome: 'EMAIL_OUTSIDE_DOMAINS', email: 'b@gmail.example' },
    ]);
    expect(all.data!.signInAudit.pageInfo.hasNextPage).to.equal(true);
    const next = await server.gql('query ($after: String) { signInAudit(after: $after) { nodes { outcome } } }', { after: all.data!.signInAudit.pageInfo.endCursor }, admin);
    expect(next.data!.signInAudit.nodes).to.deep.equal([{ outcome: 'SUCCESS' }]);
    const failed = await server.gql('{ signInAudit(failedOnly: true) { nodes { outcome } } }', undefined, admin);
    expect(failed.data!.signInAudit.nodes.map((n: { outcome: string }) => n.outcome)).to.deep.equal(['LINK_INVALID', 'EMAIL_OUTSIDE_DOMAINS']);
  });
});
