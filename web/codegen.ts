// Types for the web app's operations, from schema/*.graphql: a query beside a component that drifts from the schema
// fails codegen (unknown field) or `tsc -p web/tsconfig.json` (a field the component reads is gone).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/gql/**'],
  errorsOnly: true,
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      // Fragments stay colocated with their components; unmasked data keeps the props plain.
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { ID: 'string', DateTime: 'string', TimeZone: 'string', LocalDate: 'string' },
      },
    },
  },
};

export default config;
