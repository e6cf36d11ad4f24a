import type { SecretStore } from '../../../electron/store/secret-store';

/** An in-memory SecretStore that records what was stored, standing in for the OS keychain. */
export class FakeSecretStore implements SecretStore {
  readonly location = 'fake keychain';
  readonly values = new Map<string, string>();
  constructor(readonly kind: 'keychain' | 'file' = 'keychain') {}

  async get(account: string): Promise<string | null> {
    return this.values.get(account) ?? null;
  }
  async set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
  }
  async delete(account: string): Promise<boolean> {
    return this.values.delete(account);
  }
}
