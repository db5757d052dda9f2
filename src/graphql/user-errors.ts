// The edge of the error model: a domain's UserErrors become the SDL UserError, their messages rendered in the
// viewer's language (src/i18n; the context chose it). Every payload's errors pass through here.
import type { UserError } from '../errors';
import { messageOf } from '../i18n/render';
import type { GraphQLContext } from './context';

export function userErrors(errors: readonly UserError[], ctx: Pick<GraphQLContext, 'locale'>) {
  return errors.map((e) => ({
    code: e.code,
    message: messageOf(ctx.locale, e),
    field: e.field ?? null,
    conflicts: e.conflicts?.map((i) => ({ start: i.start!, end: i.end! })) ?? null,
  }));
}
