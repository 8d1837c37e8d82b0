import type { ServiceContext } from '../services/context.js';
import { buildApp } from './app.js';

/**
 * The OpenAPI document as served at /openapi.json. Routes only touch the context when they run,
 * so an unopened one is enough to describe them; the committed openapi.json is made from this.
 */
export async function openApiDocument(): Promise<unknown> {
  const app = await buildApp({} as ServiceContext);
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return doc;
}
