import { ERROR_CODES, type ErrorCode } from '../../shared/ipc/errors';
import { FerryError, toFerryError } from '../core/ferry-error';
import { parseCliArgs, UsageError, USAGE } from './cli-args';
import { createCliContext, type CliIo } from './cli-context';
import { lsCommand } from './commands/ls-command';
import { getCommand, putCommand } from './commands/transfer-commands';
import { adviceFor, EXIT, exitCodeFor } from './exit-codes';

/** Runs `ferry` with these arguments; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const command = parseCliArgs(argv);
    if (command.kind === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    json = command.options.json;
    const ctx = createCliContext(command.options, io);
    switch (command.kind) {
      case 'ls':
        return await lsCommand(ctx, command.url);
      case 'get':
        return await getCommand(ctx, command.url, command.local);
      case 'put':
        return await putCommand(ctx, command.local, command.url);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`ferry: ${err.message}. Run "ferry --help" for usage.\n`);
      return EXIT.usage;
    }
    const fe = err instanceof FerryError ? err : toFerryError(err);
    const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(fe.code) ? fe.code : 'internal';
    const advice = adviceFor(code);
    io.stderr.write(`ferry: ${sentence(fe.message)}${advice ? ` ${advice}` : ''}\n`);
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: fe.toShape() })}\n`);
    return exitCodeFor(code);
  }
}

function sentence(text: string): string {
  const t = text.trim();
  const s = t;
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
