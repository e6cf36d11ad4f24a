import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ProtocolError } from '../../../shared/protocol/errors';

/** A certificate (chain, leaf first) with its private key, both PEM, and the leaf's SHA-256 fingerprint. */
export interface TlsCredentials {
  cert: string;
  key: string;
  /** `AB:CD:…`: 32 upper-case hex pairs, as docs/protocol.md §11 prints it. */
  fingerprint: string;
  /** When the leaf expires (ms since the epoch). */
  validTo: number;
}

/** Parses and pairs a certificate and key; a key that does not belong to the certificate is refused. */
export function tlsCredentials(cert: string, key: string, label = 'TLS'): TlsCredentials {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new ProtocolError('invalid_argument', `${label} certificate is not a PEM certificate: ${(err as Error).message}`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new ProtocolError('invalid_argument', `${label} key is not a PEM private key: ${(err as Error).message}`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new ProtocolError('invalid_argument', `${label} key does not belong to the certificate`);
  return { cert, key, fingerprint: x509.fingerprint256, validTo: Date.parse(x509.validTo) };
}

/** Reads `--tls-cert` / `--tls-key`. */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsCredentials> {
  const read = (file: string, what: string) =>
    readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new ProtocolError('invalid_argument', `cannot read the TLS ${what} ${file}: ${err.code ?? err.message}`);
    });
  const [cert, key] = await Promise.all([read(certFile, 'certificate'), read(keyFile, 'key')]);
  return tlsCredentials(cert, key, `${certFile} / ${keyFile}:`);
}
