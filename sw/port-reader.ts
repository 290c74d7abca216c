/** Reads a MessagePort's messages one at a time, in order, as promises. */
export class PortReader<T> {
  private readonly queue: T[] = [];
  private readonly waiting: ((message: T) => void)[] = [];

  constructor(port: MessagePort) {
    port.onmessage = (event: MessageEvent<T>) => {
      const resolve = this.waiting.shift();
      if (resolve) resolve(event.data);
      else this.queue.push(event.data);
    };
  }

  next(): Promise<T> {
    const message = this.queue.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }
}
