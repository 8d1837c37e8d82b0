// Regenerates openapi.json, committed so that API drift shows up in review.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../src/http/openapi-document.js';

writeFileSync(
  new URL('../openapi.json', import.meta.url),
  `${JSON.stringify(await openApiDocument(), null, 2)}\n`,
);
console.log('wrote openapi.json');
