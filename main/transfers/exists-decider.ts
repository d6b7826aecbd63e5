import type { ExistsAction } from '../../shared/ipc/prompts';
import type { Prompter } from '../core/prompter';
import type { FileFacts } from './item-runner';
import type { ItemRecord, QueueRecord } from './queue-records';
import type { JobState } from './queue-state';

/**
 * Decides what to do about an existing destination: the job's policy when it has one, otherwise
 * one question at a time through the Prompter (parallel transfers never stack dialogs). "Apply to
 * all" becomes the job's policy, journaled, so the rest of the job and a restart do not ask again.
 * Nobody to ask (null) means skip: an existing file is never replaced without consent.
 */
export class ExistsDecider {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prompter: Prompter,
    private readonly record: (rec: QueueRecord, sync?: boolean) => Promise<void>,
  ) {}

  decide(item: ItemRecord, job: JobState, existing: FileFacts, incoming: FileFacts, signal: AbortSignal): Promise<ExistsAction> {
    if (job.policy) return Promise.resolve(job.policy);
    const ask = async (): Promise<ExistsAction> => {
      if (job.policy) return job.policy;
      if (signal.aborted) return 'skip';
      const path = item.direction === 'download' ? item.localPath : item.remotePath;
      const answer = await this.prompter.ask({ kind: 'file-exists', path, existing, incoming }, signal);
      if (!answer) return 'skip';
      if (answer.applyToAll) await this.record({ t: 'policy', jobId: job.record.id, action: answer.action }, true);
      return answer.action;
    };
    const next = this.chain.then(ask, ask);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
