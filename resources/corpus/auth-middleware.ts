import { createHmac, timingSafeEqual } from 'node:crypto';

interface Request {
  headers: Record<string, string | undefined>;
  user?: { id: string; roles: string[] };
}

interface Response {
  status(code: number): Response;
  json(body: unknown): void;
}

type Next = () => void;

function verify(token: string, secret: string): { id: string; roles: string[] } | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = createHmac('sha256', secret).update(payload).digest('base64url');
  const a = Buffer.from(signature);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return null;
    return { id: String(claims.sub), roles: Array.isArray(claims.roles) ? claims.roles : [] };
  } catch {
    return null;
  }
}

export function requireAuth(secret: string, role?: string) {
  return (req: Request, res: Response, next: Next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const user = token ? verify(token, secret) : null;
    if (!user) {
      res.status(401).json({ error: 'unauthenticated' });
      return;
    }
    if (role && !user.roles.includes(role)) {
      res.status(403).json({ error: 'forbidden' });
      return;
    }
    req.user = user;
    next();
  };
}
