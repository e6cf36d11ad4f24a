import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeFsError, errorCode, StartupError } from './startup-error';

const CORRUPT_SECRETS_HINT = 'Restore it from a backup, or move it aside to start with a new signing secret (every token issued so far then stops working).';

/** Secrets live in the OS keychain under this service name. */
export const KEYCHAIN_SERVICE = 'zenflow-control-center';

export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  readonly location: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

/** keytar is an optional dependency (it needs libsecret to build on Linux): loaded only when a keychain is wanted. */
async function loadKeytar(): Promise<Keytar | null> {
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keytar } & Keytar;
    return mod.default ?? mod;
  } catch {
    return null;
  }
}

/** The OS keychain through keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows). */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain';
  readonly location: string;
  constructor(
    private readonly keytar: Keytar,
    private readonly service = KEYCHAIN_SERVICE,
  ) {
    this.location = `OS keychain (service "${service}")`;
  }

  get(account: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, account);
  }
  set(account: string, value: string): Promise<void> {
    return this.keytar.setPassword(this.service, account, value);
  }
  delete(account: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, account);
  }
}

/** Fallback when no keychain is reachable: a JSON file readable by the owner only (0600). */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  /** `why` says, in plain words, why the keychain is not in use (shown at start). */
  constructor(
    readonly location: string,
    readonly why = 'no OS keychain reachable',
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.location)) return {};
    let text: string;
    try {
      text = readFileSync(this.location, 'utf8');
    } catch (err) {
      throw new StartupError(this.location, `cannot read the secrets file: ${describeFsError(err)}`, undefined, errorCode(err));
    }
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (err) {
      throw new StartupError(this.location, `the secrets file is not valid JSON (${err instanceof Error ? err.message : String(err)})`, CORRUPT_SECRETS_HINT, 'ECORRUPT');
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values) || Object.values(values).some((v) => typeof v !== 'string')) {
      throw new StartupError(this.location, 'the secrets file is not an object of strings', CORRUPT_SECRETS_HINT, 'ECORRUPT');
    }
    return values as Record<string, string>;
  }
  private write(values: Record<string, string>): void {
    try {
      mkdirSync(dirname(this.location), { recursive: true, mode: 0o700 });
      // Written aside, synced, then renamed over: a crash mid-write never leaves a half file.
      const temp = `${this.location}.tmp`;
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(values, null, 2));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temp, 0o600);
      renameSync(temp, this.location);
    } catch (err) {
      throw new StartupError(this.location, `cannot write the secrets file: ${describeFsError(err)}`, undefined, errorCode(err));
    }
  }
  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }
  async set(account: string, value: string): Promise<void> {
    this.write({ ...this.read(), [account]: value });
  }
  async delete(account: string): Promise<boolean> {
    const values = this.read();
    if (!(account in values)) return false;
    delete values[account];
    this.write(values);
    return true;
  }
}

/**
 * The keychain when one answers a round trip, else the 0600 file in the data dir.
 * `service` lets tests use their own keychain entry.
 */
export async function openSecretStore(dataDir: string, options: { service?: string; preferFile?: boolean } = {}): Promise<SecretStore> {
  const location = join(dataDir, 'secrets.json');
  const file = new FileSecretStore(location);
  if (options.preferFile) return new FileSecretStore(location, 'chosen with --secret-store file');
  const keytar = await loadKeytar();
  if (!keytar) return new FileSecretStore(location, 'keychain support (the optional keytar module) is not installed');
  const store = new KeychainSecretStore(keytar, options.service ?? KEYCHAIN_SERVICE);
  try {
    await withTimeout(store.get('__probe__'), 3000);
    return store;
  } catch {
    return file;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('keychain did not answer')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
