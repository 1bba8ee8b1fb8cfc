/**
 * The suite's side of {@link ./child.ts}: forks it and asks one thing at a time.
 *
 * @module
 */

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Reply, type Request, toReply } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** A forked child, one request in flight at a time. */
export interface Remote {
  /** Sends `request` and resolves with the answer; rejects when the child reports an error or dies. */
  ask(request: Request): Promise<Reply>;
  /** Asks the child to stop what it runs and waits for it to exit. */
  stop(): Promise<void>;
}

/** Forks the child. */
export function forkChild(): Remote {
  const child: ChildProcess = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = (request: Request): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      const onExit = (): void => reject(new Error(`bench child exited while asked for ${request.kind}`));
      child.once('exit', onExit);
      child.once('message', (message: unknown) => {
        child.off('exit', onExit);
        const reply = toReply(message);
        if (reply === undefined) reject(new Error('bench child answered something unreadable'));
        else if (reply.kind === 'error') reject(new Error(`bench child: ${reply.message}`));
        else resolve(reply);
      });
      child.send(request);
    });
  return {
    ask,
    async stop() {
      if (child.exitCode === null && child.connected) await ask({ kind: 'stop' });
      await exited;
    },
  };
}
