'use strict';

class EventBus {
  constructor() {
    this.handlers = new Map();
  }

  on(event, handler) {
    const list = this.handlers.get(event) || [];
    list.push(handler);
    this.handlers.set(event, list);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    const list = this.handlers.get(event);
    if (!list) return;
    const index = list.indexOf(handler);
    if (index >= 0) list.splice(index, 1);
  }

  once(event, handler) {
    const unsubscribe = this.on(event, (...args) => {
      unsubscribe();
      handler(...args);
    });
    return unsubscribe;
  }

  emit(event, ...args) {
    const list = this.handlers.get(event);
    if (!list) return 0;
    for (const handler of [...list]) {
      handler(...args);
    }
    return list.length;
  }
}

module.exports = { EventBus };
