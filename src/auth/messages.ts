// The words of the sign-in pages and the sign-in e-mail, in the same languages as the notifications (en, zh-CN).
// To add a language, add an entry to SIGN_IN_CATALOGS; the keys are checked by the type.

export type SignInErrorCode =
  | 'STATE_MISMATCH' // the callback does not belong to a sign-in started in this browser
  | 'FLOW_EXPIRED' // no sign-in in progress here (expired, already finished, or cookies blocked)
  | 'PROVIDER_ERROR' // the identity provider refused or failed
  | 'TOKEN_REJECTED' // the ID token failed validation (issuer, signature, nonce, expiry)
  | 'NO_PROVIDER' // no enabled provider for that institution
  | 'EMAIL_MISSING'
  | 'EMAIL_OUTSIDE_DOMAINS'
  | 'USER_DISABLED'
  | 'EMAIL_TAKEN' // the e-mail belongs to an account elsewhere that this identity may not take over
  | 'LINK_INVALID' // unknown, used or expired e-mail link
  | 'CSRF' // the form did not come from our page
  | 'DEMO_UNAVAILABLE'
  | 'RATE_LIMITED';

export interface SignInCatalog {
  locale: string;
  title: string;
  emailLabel: string;
  emailButton: string;
  institutionsHeading: string;
  searchLabel: string;
  searchButton: string;
  lastInstitution: string;
  noInstitutions: string;
  demoHeading: string;
  demoHint: string;
  demoRoles: Record<'researcher' | 'manager' | 'admin' | 'other', string>;
  signInAs(name: string): string;
  linkSentTitle: string;
  linkSent: string;
  linkConfirmTitle: string;
  linkConfirmButton: string;
  signedOut: string;
  backToSignIn: string;
  errorTitle: string;
  errors: Record<SignInErrorCode, string>;
  email: { subject: string; lines(name: string, url: string, minutes: number): string[] };
}

const en: SignInCatalog = {
  locale: 'en',
  title: 'Sign in to LabShare',
  emailLabel: 'Your work e-mail address',
  emailButton: 'Continue',
  institutionsHeading: 'Or choose your institution',
  searchLabel: 'Search by name or country code',
  searchButton: 'Search',
  lastInstitution: 'Last time you signed in with',
  noInstitutions: 'No institution matches.',
  demoHeading: 'Try the demo',
  demoHint: 'This server runs the demo data outside production: sign in as one of these people with one click.',
  demoRoles: { researcher: 'researcher', manager: 'lab manager', admin: 'platform admin', other: 'member' },
  signInAs: (name) => `Sign in as ${name}`,
  linkSentTitle: 'Check your e-mail',
  linkSent: 'If this address may sign in with an e-mail link, a link is on its way. It works once, for 15 minutes.',
  linkConfirmTitle: 'Finish signing in',
  linkConfirmButton: 'Sign in',
  signedOut: 'You are signed out.',
  backToSignIn: 'Back to sign-in',
  errorTitle: 'Sign-in failed',
  errors: {
    STATE_MISMATCH: 'This answer from your identity provider does not belong to a sign-in started in this browser. Start again.',
    FLOW_EXPIRED: 'No sign-in is in progress in this browser (it expired, already finished, or cookies are blocked). Start again.',
    PROVIDER_ERROR: 'Your identity provider did not sign you in.',
    TOKEN_REJECTED: 'The answer from your identity provider could not be verified.',
    NO_PROVIDER: 'This institution has no single sign-on configured.',
    EMAIL_MISSING: 'Your identity provider did not tell us your e-mail address.',
    EMAIL_OUTSIDE_DOMAINS: "Your e-mail address is not in the domains this institution's identity provider vouches for.",
    USER_DISABLED: 'This account is disabled. Ask a LabShare administrator.',
    EMAIL_TAKEN: 'An account with this e-mail address exists and cannot be linked to this sign-in. Ask a LabShare administrator.',
    LINK_INVALID: 'This sign-in link is not valid: it was used already or has expired. Ask for a new one.',
    CSRF: 'This form did not come from the LabShare sign-in page. Reload the page and try again.',
    DEMO_UNAVAILABLE: 'Demo sign-in is not available on this server (it never is in production).',
    RATE_LIMITED: 'Too many attempts. Wait a while and try again.',
  },
  email: {
    subject: 'Your LabShare sign-in link',
    lines: (name, url, minutes) => [`Hello ${name},`, '', `Sign in to LabShare with this link (it works once, for ${minutes} minutes):`, url, '', 'If you did not ask for it, ignore this e-mail.'],
  },
};

const zhCN: SignInCatalog = {
  locale: 'zh-CN',
  title: '登录 LabShare',
  emailLabel: '您的工作邮箱',
  emailButton: '继续',
  institutionsHeading: '或选择您的机构',
  searchLabel: '按名称或国家代码搜索',
  searchButton: '搜索',
  lastInstitution: '上次登录使用的机构',
  noInstitutions: '没有匹配的机构。',
  demoHeading: '体验演示',
  demoHint: '此服务器在非生产环境中运行演示数据：一键以下列身份登录。',
  demoRoles: { researcher: '研究人员', manager: '实验室管理员', admin: '平台管理员', other: '成员' },
  signInAs: (name) => `以 ${name} 身份登录`,
  linkSentTitle: '请查收邮件',
  linkSent: '如果该地址可以通过邮件链接登录，链接已发出。链接仅可使用一次，15 分钟内有效。',
  linkConfirmTitle: '完成登录',
  linkConfirmButton: '登录',
  signedOut: '您已退出登录。',
  backToSignIn: '返回登录页',
  errorTitle: '登录失败',
  errors: {
    STATE_MISMATCH: '身份提供方的响应不属于在此浏览器中发起的登录。请重新开始。',
    FLOW_EXPIRED: '此浏览器中没有进行中的登录（已过期、已完成或 Cookie 被阻止）。请重新开始。',
    PROVIDER_ERROR: '您的身份提供方未能让您登录。',
    TOKEN_REJECTED: '无法验证身份提供方的响应。',
    NO_PROVIDER: '该机构未配置单点登录。',
    EMAIL_MISSING: '您的身份提供方未提供您的邮箱地址。',
    EMAIL_OUTSIDE_DOMAINS: '您的邮箱地址不在该机构身份提供方担保的域名范围内。',
    USER_DISABLED: '此账户已被停用。请联系 LabShare 管理员。',
    EMAIL_TAKEN: '已有使用此邮箱的账户，无法与此次登录关联。请联系 LabShare 管理员。',
    LINK_INVALID: '此登录链接无效：已被使用或已过期。请重新申请。',
    CSRF: '此表单并非来自 LabShare 登录页。请刷新页面后重试。',
    DEMO_UNAVAILABLE: '此服务器不提供演示登录（生产环境中从不提供）。',
    RATE_LIMITED: '尝试次数过多。请稍后再试。',
  },
  email: {
    subject: '您的 LabShare 登录链接',
    lines: (name, url, minutes) => [`${name}，您好：`, '', `请使用此链接登录 LabShare（仅可使用一次，${minutes} 分钟内有效）：`, url, '', '如果这不是您本人的请求，请忽略此邮件。'],
  },
};

export const SIGN_IN_CATALOGS: readonly SignInCatalog[] = [en, zhCN];

/** Exact tag, else the same language (zh-TW → zh-CN), else English. */
export function signInCatalog(tag: string | null | undefined): SignInCatalog {
  const wanted = (tag ?? '').trim().toLowerCase().replace(/_/g, '-');
  const exact = SIGN_IN_CATALOGS.find((c) => c.locale.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0];
  return SIGN_IN_CATALOGS.find((c) => c.locale.toLowerCase().split('-')[0] === language) ?? en;
}

/** ?lang= first, else the first Accept-Language entry we speak, else English. */
export function catalogForRequest(lang: unknown, acceptLanguage: string | undefined): SignInCatalog {
  if (typeof lang === 'string' && lang) return signInCatalog(lang);
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim();
    if (!tag) continue;
    const found = signInCatalog(tag);
    if (found.locale.split('-')[0] === tag.toLowerCase().split('-')[0]) return found;
  }
  return en;
}
