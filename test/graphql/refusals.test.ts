// Refusals that end a request (DomainError) carry a code and parameters; the sentence is rendered at the edge, in the
// viewer's language, from the catalogs.
import { expect } from 'chai';
import { NotAllowed, NotAuthenticated } from '../../src/access/policies';
import { badRequest, DomainError } from '../../src/errors';
import { refusalMessage } from '../../src/graphql/user-errors';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const viewer = (locale: string) => ({ viewer: { kind: 'USER' as const, userId: 1, institutionId: 1, isAdmin: false, timeZone: 'UTC', locale } });

describe('refusals (DomainError): codes and parameters, rendered at the edge', () => {
  it('carries no sentence of its own: the catalog renders it from the code and parameters', () => {
    const refusals: [DomainError, string][] = [
      [new NotAllowed('ADMINS'), 'Only platform admins may do this.'],
      [new NotAllowed('MISSING_SCOPE', { scope: 'availability:read' }), 'This API key lacks the availability:read scope.'],
      [new NotAllowed(), 'You are not allowed to do this.'],
      [new NotAuthenticated(), 'Sign in first: send Authorization: Bearer <token>.'],
      [new DomainError('NOT_FOUND', { what: 'lab' }), 'No such lab.'],
      [badRequest('END_AFTER_START', { from: 'freeFrom', to: 'freeTo' }), 'freeTo must be after freeFrom.'],
    ];
    for (const [error, sentence] of refusals) {
      expect(error.message).not.to.contain(sentence);
      expect(refusalMessage(error, viewer('en'))).to.equal(sentence);
      // A language without a sentence of its own falls back to English, entry by entry.
      expect(refusalMessage(error, viewer('vi'))).to.equal(sentence);
    }
  });

  describe('through the API', () => {
    let server: TestServer;
    let researcher: { id: number };
    let instrumentId: number;
    before(async () => {
      await resetTables();
      server = await startTestServer();
      const institution = await makeInstitution({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' });
      researcher = await makeUser({ institutionId: institution.id, email: 'somchai@chula.test', locale: 'th' });
      const lab = await makeLab({ name: 'Kunming Joint Lab', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
      instrumentId = (await makeInstrument({ labId: lab.id, name: 'Krios G4', accessPolicy: 'MEMBERS' })).id;
    });
    after(async () => {
      await server?.close();
    });

    it('answers FORBIDDEN with the rendered reason for a researcher asking for webhook deliveries', async () => {
      const res = await server.gql('{ webhookDeliveries { nodes { id } } }', {}, await bearer(researcher.id));
      expect(res.errors?.[0].extensions?.code).to.equal('FORBIDDEN');
      expect(res.errors?.[0].message).to.equal('Webhook deliveries are visible to platform admins only.');
    });

    it('answers UNAUTHENTICATED with the rendered sentence without a viewer', async () => {
      const res = await server.gql('{ webhookDeliveries { nodes { id } } }');
      expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
      expect(res.errors?.[0].message).to.equal('Sign in first: send Authorization: Bearer <token>.');
    });

    it('says a MEMBERS instrument is for members only, not that it needs training', async () => {
      const res = await server.gql(
        `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } errors { code message } } }`,
        { input: { instrumentId: String(instrumentId), start: '2030-01-07T02:00:00Z', end: '2030-01-07T03:00:00Z', purpose: 'Screening' } },
        await bearer(researcher.id),
      );
      expect(res.data?.requestBooking.errors).to.deep.equal([{ code: 'NOT_QUALIFIED', message: "Only this lab's members may book this instrument." }]);
    });
  });
});
