import type { ExistsAction } from '../../shared/ipc/prompts';
import type { Prompter } from '../core/prompter';
import type { FileFacts } from './item-runner';
import type { ItemRecord, QueueRecord } from './queue-records';
import type { JobState, QueueState } from './queue-state';

/**
 * Decides what to do about an existing destination: the job's policy when it has one, otherwise
 * one question at a time through the Prompter (parallel transfers never stack dialogs). "Apply to
 * all" becomes the policy of the job's batch (every job of the same `queue:add`, i.e. the same
 * user action; other batches still ask), journaled, so the rest of the batch and a restart do not
 * ask again. Nobody to ask (null) means skip: an existing file is never replaced without consent.
 */
export class ExistsDecider {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prompter: Prompter,
    private readonly state: QueueState,
    private readonly record: (rec: QueueRecord, sync?: boolean) => Promise<void>,
  ) {}

  decide(item: ItemRecord, job: JobState, existing: FileFacts, incoming: FileFacts, signal: AbortSignal): Promise<ExistsAction> {
    const known = this.state.policyOf(job);
    if (known) return Promise.resolve(known);
    const ask = async (): Promise<ExistsAction> => {
      // An answer given while this question waited its turn may cover it.
      const decided = this.state.policyOf(job);
      if (decided) return decided;
      if (signal.aborted) return 'skip';
      const path = item.direction === 'download' ? item.localPath : item.remotePath;
      const answer = await this.prompter.ask({ kind: 'file-exists', path, existing, incoming }, signal);
      if (!answer) return 'skip';
      if (answer.applyToAll) await this.record(this.policyRecord(job, answer.action), true);
      return answer.action;
    };
    const next = this.chain.then(ask, ask);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private policyRecord(job: JobState, action: ExistsAction): QueueRecord {
    const batchId = job.record.batchId;
    // Jobs journaled before batches existed keep the answer to themselves.
    return batchId === undefined ? { t: 'policy', jobId: job.record.id, action } : { t: 'batch-policy', batchId, action };
  }
}
