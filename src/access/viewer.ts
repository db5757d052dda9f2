// Who is calling. Built once per request from the Authorization header.

export interface UserViewer {
  kind: 'USER';
  userId: number;
  institutionId: number;
  isAdmin: boolean;
  timeZone: string;
  locale: string;
  /** How this request was authenticated (GraphQL `me { signInMethod }`); absent for viewers built outside HTTP. */
  signIn?: SignInCredential;
}

export type SignInMethod = 'OIDC' | 'EMAIL_LINK' | 'DEMO' | 'PERSONAL_ACCESS_TOKEN' | 'BEARER_TOKEN';

export interface SignInCredential {
  method: SignInMethod;
  /** The session behind the cookie, when the request carried one. */
  sessionId?: number;
  personalAccessTokenId?: number;
}

export interface PartnerViewer {
  kind: 'PARTNER';
  institutionId: number;
  apiKeyId: number;
  scopes: readonly string[];
}

export interface AnonymousViewer {
  kind: 'ANONYMOUS';
}

export type Viewer = UserViewer | PartnerViewer | AnonymousViewer;

export const ANONYMOUS: AnonymousViewer = { kind: 'ANONYMOUS' };

