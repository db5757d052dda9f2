// The edge of the error model: a domain's UserErrors become the SDL UserError, their messages rendered in the
// viewer's language (src/i18n). Every payload's errors pass through here.
import type { UserError } from '../errors';
import { messageOf } from '../i18n/render';
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
