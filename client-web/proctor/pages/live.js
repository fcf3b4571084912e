// pages/live.js - one sitting's event stream (text/event-stream, the
// session cookie, same origin). EventSource reconnects by itself after an
// error and sends Last-Event-ID, so the server resumes or sends a fresh
// snapshot; this module only parses the events and reports the connection
// state: 'connecting', 'open', 'retrying' (lost, the browser retries) or
// 'closed' (refused, e.g. the session ended; reconnect() starts over).

const EVENTS = ['snapshot', 'rows', 'incident', 'sitting', 'action'];

/**
 * url: the stream; on: {snapshot, rows, incident, sitting, action,
 * status(state), bad(name, error)}. Returns {reconnect(), close(), last()}.
 */
export function openStream(url, on) {
  let es = null;
  let lastAt = 0;
  let closed = false;

  function status(s) {
    if (on.status) on.status(s);
  }

  function connect() {
    if (es) es.close();
    status('connecting');
    es = new EventSource(url, { withCredentials: true });
    es.onopen = () => status('open');
    es.onerror = () => {
      if (closed) return;
      status(es.readyState === 2 ? 'closed' : 'retrying');
    };
    EVENTS.forEach((name) => {
      es.addEventListener(name, (ev) => {
        lastAt = Date.now();
        let data;
        try {
          data = JSON.parse(ev.data);
        } catch (e) {
          if (on.bad) on.bad(name, e);
          return;
        }
        if (on[name]) on[name](data, ev.lastEventId);
      });
    });
  }

  connect();
  return {
    reconnect: () => {
      closed = false;
      connect();
    },
    close: () => {
      closed = true;
      if (es) es.close();
      es = null;
    },
    /** Local time of the last event (0: none yet). */
    last: () => lastAt,
  };
}
