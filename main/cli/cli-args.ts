import type { ExistsAction } from '../../shared/ipc/prompts';

/** The parsed command line of `ferry`, exactly the contract's flags. */
export interface CliOptions {
  readonly recursive: boolean;
  readonly identity?: string;
  readonly passwordEnv: string;
  readonly stateDir?: string;
  readonly acceptNew: boolean;
  readonly allowPlain: boolean;
  readonly parallel: number;
  readonly onExists?: ExistsAction;
  readonly timeoutSec?: number;
  readonly retries?: number;
  readonly json: boolean;
  readonly verbose: boolean;
}

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'ls'; readonly url: string; readonly options: CliOptions }
  | { readonly kind: 'get'; readonly url: string; readonly local: string; readonly options: CliOptions }
  | { readonly kind: 'put'; readonly local: string; readonly url: string; readonly options: CliOptions };

/** A command line that does not follow the contract; exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  ferry ls  <url> [--json]
  ferry get <url> <local-path> [-r]
  ferry put <local-path> <url> [-r]

URLs: sftp://[user[:pass]@]host[:port]/path
      ftp://...    FTP, TLS when offered; plain text only with consent
      ftpes://...  FTP with explicit TLS required
      ftps://...   FTP with implicit TLS (port 990)

Options:
  -r                         copy folders recursively (like cp -r)
  -i, --identity FILE        SSH private key (passphrase from FERRY_KEY_PASSPHRASE or a prompt)
  --password-env NAME        read the password from this variable (default FERRY_PASSWORD)
  --state-dir DIR            known hosts, trusted certificates and consents (default: the app's)
  --accept-new               trust a host key or certificate seen for the first time
  --allow-plain              consent to continue without encryption
  --parallel N               parallel transfers (default 4, max 16)
  --on-exists ACTION         overwrite|resume|skip|rename|newer (default: ask on a TTY, else overwrite)
  --timeout SEC              per-phase timeout in seconds
  --retries N                retries on network errors
  --json                     machine-readable output
  -v, --verbose              protocol log on stderr (passwords redacted)
  --help                     this text

Exit codes: 0 ok, 1 other failure, 2 usage, 3 authentication failed, 4 host key or certificate
not trusted, 5 encryption unavailable without consent, 6 network failure or timeout,
7 remote error, 8 partial folder transfer.`;

const EXISTS: readonly ExistsAction[] = ['overwrite', 'resume', 'skip', 'rename', 'newer'];

/** Parses argv (without node and script). Throws UsageError with one clear sentence. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const positionals: string[] = [];
  const o = {
    recursive: false,
    passwordEnv: 'FERRY_PASSWORD',
    acceptNew: false,
    allowPlain: false,
    parallel: 4,
    json: false,
    verbose: false,
  } as {
    -readonly [K in keyof CliOptions]: CliOptions[K];
  };
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      return next;
    };
    const flag = (): true => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      return true;
    };
    switch (name) {
      case '-r':
      case '--recursive':
        o.recursive = flag();
        break;
      case '-i':
      case '--identity':
        o.identity = value();
        break;
      case '--password-env':
        o.passwordEnv = value();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.passwordEnv)) throw new UsageError(`--password-env needs a variable name, not "${o.passwordEnv}"`);
        break;
      case '--state-dir':
        o.stateDir = value();
        break;
      case '--accept-new':
        o.acceptNew = flag();
        break;
      case '--allow-plain':
        o.allowPlain = flag();
        break;
      case '--parallel':
        o.parallel = integer(name, value(), 1, 16);
        break;
      case '--on-exists': {
        const v = value();
        if (!(EXISTS as readonly string[]).includes(v)) throw new UsageError(`--on-exists must be one of ${EXISTS.join(', ')}`);
        o.onExists = v as ExistsAction;
        break;
      }
      case '--timeout':
        o.timeoutSec = integer(name, value(), 1, 86_400);
        break;
      case '--retries':
        o.retries = integer(name, value(), 0, 1000);
        break;
      case '--json':
        o.json = flag();
        break;
      case '-v':
      case '--verbose':
        o.verbose = flag();
        break;
      case '-h':
      case '--help':
        help = flag();
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('no command given: use ls, get or put');
  const options: CliOptions = o;
  switch (command) {
    case 'ls':
      if (rest.length !== 1) throw new UsageError('ls takes exactly one URL');
      return { kind: 'ls', url: rest[0]!, options };
    case 'get':
      if (rest.length !== 2) throw new UsageError('get takes a URL and a local path');
      return { kind: 'get', url: rest[0]!, local: rest[1]!, options };
    case 'put':
      if (rest.length !== 2) throw new UsageError('put takes a local path and a URL');
      return { kind: 'put', local: rest[0]!, url: rest[1]!, options };
    default:
      throw new UsageError(`unknown command "${command}": use ls, get or put`);
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} needs a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}`);
  return n;
}
