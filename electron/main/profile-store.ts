import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { LOCAL_PROFILE_ID, type ProfileSummary } from '../../shared/bridge';
import { isFingerprint } from '../../shared/sdk/tls-pin';
import type { SecretStore } from '../store/secret-store';

/**
 * Remote connection profiles. Names and URLs live in a JSON file in userData; each
 * token lives only in the OS keychain under `profile:<id>`. The file's schema has no
 * token field, so a token cannot end up on disk by accident.
 */

const storedProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  /** The server certificate trusted for this profile (pairing link or first use), `AB:CD:…`. */
  fingerprint: z.string().refine(isFingerprint).optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  activeId: z.string(),
  profiles: z.array(storedProfileSchema),
});
type ProfilesFile = z.infer<typeof fileSchema>;
type StoredProfile = z.infer<typeof storedProfileSchema>;

export const profileAccount = (id: string): string => `profile:${id}`;

export type ActiveProfile = { mode: 'local' } | { mode: 'remote'; profile: StoredProfile; token: string | null };

export class ProfileStore {
  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
  ) {}

  /** A missing or unreadable file is an empty list with the local server active. */
  private read(): ProfilesFile {
    const empty: ProfilesFile = { version: 1, activeId: LOCAL_PROFILE_ID, profiles: [] };
    if (!existsSync(this.file)) return empty;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : empty;
    } catch {
      return empty;
    }
  }

  /** Write-then-rename so a crash never leaves half a file. */
  private write(data: ProfilesFile): void {
    // Parsing strips any property the schema lacks (a stray token included).
    const clean = fileSchema.parse(data);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private async summary(p: StoredProfile, activeId: string): Promise<ProfileSummary> {
    return { id: p.id, name: p.name, url: p.url, fingerprint: p.fingerprint ?? null, hasToken: (await this.secrets.get(profileAccount(p.id))) !== null, active: p.id === activeId };
  }

  async list(): Promise<ProfileSummary[]> {
    const data = this.read();
    return Promise.all(data.profiles.map((p) => this.summary(p, data.activeId)));
  }

  /** Input is already validated by profileInputSchema. */
  async save(input: { id?: string; name: string; url: string; token?: string; fingerprint?: string }): Promise<ProfileSummary> {
    const data = this.read();
    const existing = data.profiles.find((p) => p.id === input.id);
    if (input.id !== undefined && !existing) throw new Error(`no profile with id ${input.id}`);
    if (input.token !== undefined && this.secrets.kind !== 'keychain') {
      throw new Error('no OS keychain is reachable, so the token cannot be stored securely; the profile was not saved');
    }
    // A pin belongs to one server: it survives a rename, not a move to another address.
    const fingerprint = input.fingerprint ?? (existing?.url === input.url ? existing.fingerprint : undefined);
    const profile: StoredProfile = { id: input.id ?? randomUUID(), name: input.name, url: input.url, ...(fingerprint ? { fingerprint } : {}) };
    // Token first: a profile never points at a token that failed to save.
    if (input.token !== undefined) await this.secrets.set(profileAccount(profile.id), input.token);
    const profiles = input.id === undefined ? [...data.profiles, profile] : data.profiles.map((p) => (p.id === profile.id ? profile : p));
    this.write({ ...data, profiles });
    return this.summary(profile, data.activeId);
  }

  /** Remembers the certificate the user trusted for this profile (first use, or after a confirmed change). */
  async pin(id: string, fingerprint: string): Promise<void> {
    if (!isFingerprint(fingerprint)) throw new Error(`not a certificate fingerprint: ${fingerprint}`);
    const data = this.read();
    if (!data.profiles.some((p) => p.id === id)) throw new Error(`no profile with id ${id}`);
    this.write({ ...data, profiles: data.profiles.map((p) => (p.id === id ? { ...p, fingerprint } : p)) });
  }

  /** Every profile with its pin, for the certificate check. */
  pins(): StoredProfile[] {
    return this.read().profiles;
  }

  async remove(id: string): Promise<void> {
    const data = this.read();
    if (!data.profiles.some((p) => p.id === id)) throw new Error(`no profile with id ${id}`);
    await this.secrets.delete(profileAccount(id));
    this.write({ ...data, activeId: data.activeId === id ? LOCAL_PROFILE_ID : data.activeId, profiles: data.profiles.filter((p) => p.id !== id) });
  }

  async activate(id: string): Promise<void> {
    const data = this.read();
    if (id !== LOCAL_PROFILE_ID && !data.profiles.some((p) => p.id === id)) throw new Error(`no profile with id ${id}`);
    this.write({ ...data, activeId: id });
  }

  async active(): Promise<ActiveProfile> {
    const data = this.read();
    const profile = data.profiles.find((p) => p.id === data.activeId);
    if (!profile) return { mode: 'local' };
    return { mode: 'remote', profile, token: await this.secrets.get(profileAccount(profile.id)) };
  }
}
