// The edge of the error model: a domain's UserErrors become the SDL UserError, their messages rendered in the
// viewer's language (src/i18n; the context chose it). Every payload's errors, and every refusal, pass through here.
import type { DomainError, UserError } from '../errors';
import { messageOf, render } from '../i18n/render';
import type { GraphQLContext } from './context';

export function userErrors(errors: readonly UserError[], ctx: Pick<GraphQLContext, 'locale'>) {
  return errors.map((e) => ({
    code: e.code,
    message: messageOf(ctx.locale, e),
    field: e.field ?? null,
    conflicts: e.conflicts?.map((i) => ({ start: i.start!, end: i.end! })) ?? null,
  }));
}

/**
 * The message of a refusal that ends a request (DomainError: not signed in, not allowed, a request out of range) in the
 * language `locale`: errors.json `error.<code>.<reason>` (NOT_FOUND: `error.NOT_FOUND.<what>`), else `error.<code>`.
 */
export function refusalMessage(error: DomainError, locale: string): string {
  return render(locale, error.code, error.params);
}
