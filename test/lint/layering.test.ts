import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint: renderer -> shared <- main', () => {
  it('keeps node and electron out of the renderer', async () => {
    expect(await restricted('renderer/probe.ts', "import { readFile } from 'node:fs';\nexport const a = readFile;\n")).toHaveLength(1);
    expect(await restricted('renderer/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('renderer/probe.ts', "import { FerryCore } from '../main/app/ferry-core';\nexport const a = FerryCore;\n")).toHaveLength(1);
    expect(await restricted('renderer/probe.ts', "import { methodName } from '../shared/ipc/contract';\nexport const a = methodName;\n")).toHaveLength(0);
  });

  it('keeps shared/ pure', async () => {
    expect(await restricted('shared/model/probe.ts', "import { join } from 'node:path';\nexport const a = join;\n")).toHaveLength(1);
    expect(await restricted('shared/model/probe.ts', "import { FerryCore } from '../../main/app/ferry-core';\nexport const a = FerryCore;\n")).toHaveLength(1);
    expect(await restricted('shared/model/probe.ts', "import { ERROR_CODES } from '../ipc/errors';\nexport const a = ERROR_CODES;\n")).toHaveLength(0);
  });

  it('keeps electron out of the core', async () => {
    expect(await restricted('main/transfers/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('main/ipc/register-ipc.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(0);
  });
});
