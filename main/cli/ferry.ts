import { runCli } from './cli-main';

/** Process entry of the `ferry` command. */
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  env: process.env,
});
process.exitCode = code;
