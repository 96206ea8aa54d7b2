/** In-page timing helpers shared by the bench pages. */

export const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Resolves, with its time, once the tasks queued before it (and their microtasks) have run. */
export const afterTask = () =>
  new Promise<number>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(performance.now());
    };
    channel.port2.postMessage(0);
  });

/** A message posted in a rAF callback is handled after that frame's style, layout and paint. */
export const afterPaint = () => new Promise<number>((resolve) => requestAnimationFrame(() => void afterTask().then(resolve)));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
