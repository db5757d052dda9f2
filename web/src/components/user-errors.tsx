// The API's UserError codes shown in the viewer's language, next to the field they name.
import { graphql } from '../gql';
import type { UserErrorFieldsFragment } from '../gql/graphql';
import { useT, type MessageId } from '../i18n';

export const UserErrorFields = graphql(`
  fragment UserErrorFields on UserError {
    code
    field
    message
  }
`);

/**
 * The errors for one field (or, with field null, those naming no field this form shows). BAD_INPUT covers many
 * mistakes, so its text is the API's message, which says what is wrong with this field (rendered by the API in the
 * viewer's language); the code's own text is the fallback, and the text of every other code.
 */
export function FieldErrors({ errors, id }: { errors: UserErrorFieldsFragment[]; id?: string }) {
  const t = useT();
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors" id={id}>
      {errors.map((e, i) => (
        <li key={`${e.code}-${i}`}>{e.code === 'BAD_INPUT' && e.message ? e.message : t(`error.code.${e.code}` as MessageId)}</li>
      ))}
    </ul>
  );
}

/** Splits errors by field: each listed field gets its own, the rest go to the form as a whole. */
export function byField(errors: UserErrorFieldsFragment[], fields: string[]) {
  const of = (field: string) => errors.filter((e) => e.field === field);
  const rest = errors.filter((e) => !e.field || !fields.includes(e.field));
  return { of, rest };
}
