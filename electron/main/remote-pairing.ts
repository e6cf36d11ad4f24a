import { request } from 'node:https';
import { parsePairingLink } from '../../shared/pairing-link';
import { PinnedAgent } from '../server/tls/pinned-agent';

/**
 * Pairs this app with a LAN host from its pairing link: the code goes only over a TLS
 * connection whose certificate has the link's fingerprint, so a host posing as the paired one
 * never sees it. Returns what the profile stores: address, token and the pinned fingerprint.
 */
export async function redeemPairingLink(link: string, device: string): Promise<{ url: string; token: string; fingerprint: string }> {
  const parsed = parsePairingLink(link);
  if (!parsed?.code || !parsed.fingerprint || !parsed.url.startsWith('https:')) throw new Error('not a pairing link: https://…/?pair=CODE&fp=FINGERPRINT');
  const { url, code, fingerprint } = parsed;
  const body = JSON.stringify({ code, device });
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      `${url}/api/pair`,
      { method: 'POST', agent: new PinnedAgent(fingerprint), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        let text = '';
        // A pairing answer is small: cap what a hostile host can make us hold.
        res.setEncoding('utf8').on('data', (c: string) => (text += text.length + c.length > 65_536 ? '' : c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once('timeout', () => req.destroy(new Error(`${url} did not answer`)));
    req.once('error', reject);
    req.end(body);
  });
  let parsedBody: { token?: unknown; error?: { message?: unknown } } = {};
  try {
    parsedBody = JSON.parse(answer.text) as typeof parsedBody;
  } catch {
    // Reported below with the status.
  }
  if (answer.status !== 200 || typeof parsedBody.token !== 'string') {
    const reason = typeof parsedBody.error?.message === 'string' ? parsedBody.error.message : `HTTP ${answer.status}`;
    throw new Error(`pairing refused by ${url}: ${reason}`);
  }
  return { url, token: parsedBody.token, fingerprint };
}
