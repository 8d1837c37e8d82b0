import openapiTS, { astToString } from 'openapi-typescript';

/**
 * The console's TypeScript view of the API, generated from openapi.json (web/src/api/openapi.d.ts),
 * so the browser and the server cannot disagree on a shape without a type error in review.
 */
export async function openApiTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0]);
  return `// Generated from openapi.json by \`npm run openapi\`; do not edit.\n${astToString(ast)}`;
}

export const OPENAPI_TYPES_FILE = new URL('../web/src/api/openapi.d.ts', import.meta.url);
