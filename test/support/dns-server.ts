import dns2 from 'dns2';

const { Packet } = dns2;
// dns2's typings omit the response codes its runtime exports (RFC 1035 §4.1.1).
const RCODE = { NXDOMAIN: 3, SERVFAIL: 2 } as const;

/**
 * A real authoritative DNS server on loopback (UDP, random port) whose TXT records a test sets.
 * Names it does not know answer NXDOMAIN; names marked `servfail` answer SERVFAIL.
 */
export interface TestDnsServer {
  /** `127.0.0.1:PORT`, the form MAILWRIGHT_DNS_SERVERS takes. */
  address: string;
  setTxt(host: string, values: (string | string[])[]): void;
  servfail(host: string): void;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const txt = new Map<string, (string | string[])[]>();
  const failing = new Set<string>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const name = question?.name.toLowerCase() ?? '';
      if (failing.has(name)) {
        response.header.rcode = RCODE.SERVFAIL;
      } else if (!txt.has(name)) {
        response.header.rcode = RCODE.NXDOMAIN;
      } else if (question?.type === Packet.TYPE.TXT) {
        for (const data of txt.get(name) ?? []) {
          response.answers.push({
            name: question.name,
            type: Packet.TYPE.TXT,
            class: Packet.CLASS.IN,
            ttl: 60,
            data,
          } as never);
        }
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const { udp } = server.addresses() as { udp: { port: number } };
  return {
    address: `127.0.0.1:${udp.port}`,
    setTxt: (host, values) => txt.set(host.toLowerCase(), values),
    servfail: (host) => failing.add(host.toLowerCase()),
    close: () => server.close(),
  };
}
