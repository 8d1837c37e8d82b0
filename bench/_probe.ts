import { freshDatabase, startServer, inParallel } from './support.js';
const { store, drop } = await freshDatabase('sqlite');
const s = await startServer(store);
await s.verifiedDomain('bench.example');
for (const conc of [1, 2, 8]) {
  const t = performance.now();
  const lat: number[] = [];
  await inParallel(200, conc, async (i) => {
    const t0 = performance.now();
    const r = await s.request('POST', '/v1/mailboxes', { mode: 'single', name: 'Josh Smith', localPart: `c${conc}u${i}`, domain: 'bench.example', password: { generate: true } });
    if (r.status !== 201) throw new Error(r.text);
    lat.push(performance.now() - t0);
  });
  lat.sort((a, b) => a - b);
  console.log(conc, (200 / ((performance.now() - t) / 1000)).toFixed(1), '/s; p50', lat[100]!.toFixed(1), 'max', lat[199]!.toFixed(1));
}
await s.close(); await drop();
