/**
 * A queue of tasks that run in a task of their own, behind those already waiting (a message
 * on the queue's own port): what was already given to the thread runs first, and a hidden
 * tab does not delay it (a port message is not throttled as a timer is). The tasks queued
 * before it runs share that one message, in order.
 *
 * For queues that live as long as the page or worker: the port is never closed.
 */
export type TaskQueue = (task: () => void) => void;

export function taskQueue(): TaskQueue {
  const channel = new MessageChannel();
  const due: (() => void)[] = [];
  channel.port1.onmessage = () => {
    for (const run of due.splice(0)) run();
  };
  return (task) => {
    if (due.length === 0) channel.port2.postMessage(null);
    due.push(task);
  };
}

/** Resolves once the tasks `queue` holds now have run. */
export function drained(queue: TaskQueue): Promise<void> {
  return new Promise((resolve) => {
    queue(resolve);
  });
}
