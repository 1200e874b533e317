// Subscribing a set of handlers to Uppy's events and unsubscribing the same set: one list serves
// both, so a handler added later cannot be left subscribed after the widget is gone.
import type { Body, Meta, Uppy, UppyEventMap } from '@uppy/core';

/** Handlers by event name, each typed by Uppy's event map. */
export type UppyHandlers<M extends Meta, B extends Body> = { [E in keyof UppyEventMap<M, B>]?: UppyEventMap<M, B>[E] };

/** Subscribes each handler to its event; returns the function that unsubscribes them all. */
export function listen<M extends Meta, B extends Body>(uppy: Uppy<M, B>, handlers: UppyHandlers<M, B>): () => void {
  const unsubscribers: (() => void)[] = [];
  // Object.keys types its keys as strings; these are the handlers' own keys, all event names.
  for (const event of Object.keys(handlers) as (keyof UppyEventMap<M, B>)[]) {
    const handler = handlers[event];
    if (!handler) continue;
    uppy.on(event, handler);
    unsubscribers.push(() => uppy.off(event, handler));
  }
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
