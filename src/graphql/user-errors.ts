// The edge of the error model: a domain's UserErrors become the SDL UserError, their messages rendered in the
// viewer's language (src/i18n). Every payload's errors pass through here.
import type { DomainError, UserError, UserErrorCode } from '../errors';
import { messageOf, render } from '../i18n/render';
import type { GraphQLContext } from './context';

export function localeOf(ctx: Pick<GraphQLContext, 'viewer'>): string {
  return ctx.viewer.kind === 'USER' ? ctx.viewer.locale : 'en';
}

export function userErrors(errors: readonly UserError[], ctx: Pick<GraphQLContext, 'viewer'>) {
  const locale = localeOf(ctx);
  return errors.map((e) => ({
    code: e.code,
    message: messageOf(locale, e),
    field: e.field ?? null,
    conflicts: e.conflicts?.map((i) => ({ start: i.start!, end: i.end! })) ?? null,
  }));
}

/**
 * The message of a refusal that ends a request (DomainError: not signed in, not allowed, a request out of range), in
 * the viewer's language. UNAUTHENTICATED is a MessageCode but not a UserErrorCode: render() is typed on the latter
 * until its catalogs are keyed by MessageCode; the English catalog has the entry and every locale falls back to it.
 */
export function refusalMessage(error: DomainError, ctx: Pick<GraphQLContext, 'viewer'> | undefined): string {
  return render(ctx ? localeOf(ctx) : 'en', error.messageCode as UserErrorCode, error.params);
}
