export interface ParsedArgs {
  command?: string;
  flags: Record<string, string | boolean>;
  positional: string[];
}

/** Minimal argv parser: --flag, --key=value, --key value, -abc. */
export function parseArgs(argv: string[]): ParsedArgs {
  const result: ParsedArgs = { flags: {}, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      result.positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [key, value] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (value !== undefined) {
        result.flags[key] = value;
      } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) {
        result.flags[key] = argv[++i]!;
      } else {
        result.flags[key] = true;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const ch of arg.slice(1)) result.flags[ch] = true;
    } else if (result.command === undefined) {
      result.command = arg;
    } else {
      result.positional.push(arg);
    }
  }
  return result;
}
