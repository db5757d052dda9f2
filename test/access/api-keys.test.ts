// Partner API keys: created by admins and shown once, stored as prefix + SHA-256, usable as `ApiKey <key>`,
// revocable at once, and scoped.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { ApiKey } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeInstrument, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const CREATE = `mutation($i: CreateApiKeyInput!) {
  createApiKey(input: $i) { key apiKey { id keyPrefix scopes name institution { id } revokedAt } errors { code field message } } }`;

describe('partner API keys', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let institutionId: string;
  let instrumentId: string;

  before(async () => {
    await resetTables();
    server = await startTestServer();
    admin = await bearer((await makeUser({ isAdmin: true })).id);
    institutionId = String((await makeInstitution({ name: 'National University of Singapore', countryCode: 'SG', timeZone: 'Asia/Singapore' })).id);
    instrumentId = String((await makeInstrument()).id);
  });

  after(async () => {
    await server?.close();
  });

  const create = async (scopes: string[]) => (await server.gql(CREATE, { i: { institutionId, name: 'NUS portal', scopes } }, admin)).data!.createApiKey;
  const asKey = (key: string) => ({ authorization: `ApiKey ${key}` });

  it('shows the key once and stores only its prefix and SHA-256 hash', async () => {
    const created = await create(['availability:read']);
    expect(created.errors).to.deep.equal([]);
    expect(created.key).to.match(/^lsk_[0-9a-f]{8}_[\w-]{43}$/);
    expect(created.key.startsWith(created.apiKey.keyPrefix)).to.equal(true);
    expect(created.apiKey).to.deep.include({ scopes: ['availability:read'], name: 'NUS portal', institution: { id: institutionId }, revokedAt: null });
    const row = (await ApiKey.findByPk(created.apiKey.id, { raw: true }))!;
    expect(row.keyHash).to.equal(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.to.include(created.key.slice(created.apiKey.keyPrefix.length + 1));
    const listed = await server.gql('{ apiKeys { nodes { keyPrefix } } }', undefined, admin);
    expect(JSON.stringify(listed.data)).not.to.include(created.key);
  });

  it('lets a partner read free/busy with its key and records when the key was last used', async () => {
    const created = await create(['availability:read']);
    const res = await server.gql(
      'query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z") { instrumentId } }',
      { ids: [instrumentId] }, asKey(created.key),
    );
    expect(res.errors).to.equal(undefined);
    expect(res.data!.availability).to.deep.equal([{ instrumentId }]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the last-used write is not awaited by the request
    expect((await ApiKey.findByPk(created.apiKey.id, { raw: true }))!.lastUsedAt).to.be.instanceOf(Date);
  });

  it('keeps a key without availability:read to the catalogue', async () => {
    const created = await create([]);
    expect((await server.gql('{ instruments { nodes { id } } }', undefined, asKey(created.key))).errors).to.equal(undefined);
    const res = await server.gql(
      'query($ids: [ID!]!) { availability(instrumentIds: $ids, from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z") { instrumentId } }',
      { ids: [instrumentId] }, asKey(created.key),
    );
    expect(res.errors?.[0].extensions?.code).to.equal('FORBIDDEN');
    expect(res.errors?.[0].message).to.match(/availability:read/);
  });

  it('stops a revoked key at once, saying so', async () => {
    const created = await create(['availability:read']);
    expect((await server.gql('{ labs { nodes { id } } }', undefined, asKey(created.key))).status).to.equal(200);
    const revoked = await server.gql('mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } errors { code } } }', { id: created.apiKey.id }, admin);
    expect(revoked.data!.revokeApiKey.apiKey.revokedAt).to.be.a('string');
    const res = await server.gql('{ labs { nodes { id } } }', undefined, asKey(created.key));
    expect(res.status).to.equal(401);
    expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
    expect(res.errors?.[0].message).to.match(/revoked/);
  });

  it('refuses a key with the right prefix and the wrong secret, and a malformed key, alike', async () => {
    const created = await create([]);
    const forged = `${created.apiKey.keyPrefix}_${'A'.repeat(43)}`;
    for (const key of [forged, 'lsk_nothing', 'x'.repeat(500)]) {
      const res = await server.gql('{ labs { nodes { id } } }', undefined, asKey(key));
      expect(res.status).to.equal(401);
      expect(res.errors?.[0].message).to.equal('The API key is not valid: check that it was copied whole.');
    }
  });

  it('answers unknown scopes, an empty name and an unknown institution as user errors', async () => {
    const bad = await server.gql(CREATE, { i: { institutionId, name: ' ', scopes: ['bookings:write'] } }, admin);
    expect(bad.data!.createApiKey.errors.map((e: { field: string }) => e.field)).to.deep.equal(['name', 'scopes']);
    expect(bad.data!.createApiKey.key).to.equal(null);
    const missing = await server.gql(CREATE, { i: { institutionId: '4000000000', name: 'x', scopes: [] } }, admin);
    expect(missing.data!.createApiKey.errors[0]).to.include({ code: 'NOT_FOUND', field: 'institutionId' });
  });
});
