// Plain server-rendered pages of signing in: no scripts, no CDN, one inline style. The web app will take them over.
import type { SignInErrorCode, SignInWords } from './messages';
import type { DemoPerson } from './demo';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}ul{padding:0;list-style:none}li{margin:.4rem 0}
input[type=email],input[type=search]{padding:.4rem;width:16rem}button{padding:.4rem .8rem}.error{color:#a00}
.muted{color:#666;font-size:.9rem}`;

/** Pages carry their own policy: forms post to us, sign-in continues at the identity provider. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function page(t: SignInWords, title: string, body: string): string {
  return `<!doctype html><html lang="${escapeHtml(t.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export interface InstitutionChoice {
  id: number;
  name: string;
  countryCode: string;
}

export function signInPage(
  t: SignInWords,
  options: { csrf: string; query: string; institutions: InstitutionChoice[]; last: InstitutionChoice | null; demo: DemoPerson[] },
): string {
  const lang = `lang=${encodeURIComponent(t.locale)}`;
  const start = (i: InstitutionChoice) => `<a href="/auth/oidc/${i.id}/start">${escapeHtml(i.name)}</a> <span class="muted">${escapeHtml(i.countryCode)}</span>`;
  const parts = [
    `<form method="post" action="/auth/email?${lang}"><input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
<label>${escapeHtml(t.say('signIn.emailLabel'))}<br><input type="email" name="email" required autocomplete="email"></label> <button>${escapeHtml(t.say('signIn.emailButton'))}</button></form>`,
  ];
  if (options.last) parts.push(`<p>${escapeHtml(t.say('signIn.lastInstitution'))} ${start(options.last)}</p>`);
  parts.push(`<h2>${escapeHtml(t.say('signIn.institutionsHeading'))}</h2>
<form method="get" action="/auth/sign-in"><input type="hidden" name="lang" value="${escapeHtml(t.locale)}">
<label>${escapeHtml(t.say('signIn.searchLabel'))} <input type="search" name="q" value="${escapeHtml(options.query)}"></label> <button>${escapeHtml(t.say('signIn.searchButton'))}</button></form>
<ul>${options.institutions.map((i) => `<li>${start(i)}</li>`).join('') || `<li class="muted">${escapeHtml(t.say('signIn.noInstitutions'))}</li>`}</ul>`);
  if (options.demo.length) {
    parts.push(`<h2>${escapeHtml(t.say('signIn.demoHeading'))}</h2><p class="muted">${escapeHtml(t.say('signIn.demoHint'))}</p><ul>${options.demo
      .map(
        (p) => `<li><form method="post" action="/auth/demo?${lang}"><input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
<input type="hidden" name="userId" value="${p.userId}"><button>${escapeHtml(t.say('signIn.demoSignInAs', { name: p.name }))}</button>
<span class="muted">${escapeHtml(t.say('signIn.demoPerson', { role: p.role, institution: p.institution }))}</span></form></li>`,
      )
      .join('')}</ul>`);
  }
  return page(t, t.say('signIn.title'), parts.join('\n'));
}

export function errorPage(t: SignInWords, code: SignInErrorCode): string {
  return page(t, t.say('signIn.errorTitle'), `<p class="error" data-code="${code}">${escapeHtml(t.say(`signIn.error.${code}`))}</p><p><a href="/auth/sign-in?lang=${encodeURIComponent(t.locale)}">${escapeHtml(t.say('signIn.backToSignIn'))}</a></p>`);
}

export function messagePage(t: SignInWords, title: string, message: string): string {
  return page(t, title, `<p>${escapeHtml(message)}</p><p><a href="/auth/sign-in?lang=${encodeURIComponent(t.locale)}">${escapeHtml(t.say('signIn.backToSignIn'))}</a></p>`);
}

export function linkConfirmPage(t: SignInWords, token: string, csrf: string): string {
  return page(t, t.say('signIn.linkConfirmTitle'), `<form method="post" action="/auth/email-link?lang=${encodeURIComponent(t.locale)}">
<input type="hidden" name="token" value="${escapeHtml(token)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<button>${escapeHtml(t.say('signIn.linkConfirmButton'))}</button></form>`);
}

