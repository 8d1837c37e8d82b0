// Regenerates openapi.json, committed so that API drift shows up in review, and the console's
// types generated from it.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/http/openapi-document.js';
import { OPENAPI_TYPES_FILE, openApiTypes } from './openapi-types.js';

const document = await openApiDocument();
writeFileSync(
  new URL('../openapi.json', import.meta.url),
  `${JSON.stringify(document, null, 2)}\n`,
);
writeFileSync(OPENAPI_TYPES_FILE, await openApiTypes(document));
console.log('wrote openapi.json and web/src/api/openapi.d.ts');
