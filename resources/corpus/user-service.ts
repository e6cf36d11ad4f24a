export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: number;
  disabled: boolean;
}

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  save(user: User): Promise<void>;
}

export class UserService {
  constructor(
    private readonly repo: UserRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async register(email: string, name: string): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (await this.repo.findByEmail(normalized)) throw new Error('email already registered');
    const user: User = { id: crypto.randomUUID(), email: normalized, name: name.trim(), createdAt: this.now(), disabled: false };
    await this.repo.save(user);
    return user;
  }

  async disable(id: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user) throw new Error(`no user ${id}`);
    const updated = { ...user, disabled: true };
    await this.repo.save(updated);
    return updated;
  }

  async rename(id: string, name: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user) throw new Error(`no user ${id}`);
    const updated = { ...user, name: name.trim() };
    await this.repo.save(updated);
    return updated;
  }
}
