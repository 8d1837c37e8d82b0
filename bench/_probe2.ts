import { hashPassword } from '../src/core/password-hash.js';
import { inParallel } from './support.js';
for (const conc of [1, 2, 4, 8]) {
  const t = performance.now();
  await inParallel(200, conc, async (i) => { await hashPassword('x' + i); });
  console.log(conc, (200 / ((performance.now() - t) / 1000)).toFixed(1), 'hashes/s');
}
const t = performance.now(); let x = 0; for (let i = 0; i < 1e8; i++) x += i; console.log('cpu loop', performance.now() - t);
