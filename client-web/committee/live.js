// live.js - one Server-Sent Events stream (same origin, the session
// cookie). EventSource reconnects by itself after an error; this module
// parses the named events and reports the connection state: 'connecting',
// 'open', 'retrying' (lost, the browser retries) or 'closed' (refused).

/**
 * url: the stream; names: the event names; on: {<name>(data), status(s)}.
 * Returns {close()}.
 */
export function openStream(url, names, on) {
  let closed = false;
  const es = new EventSource(url, { withCredentials: true });
  const status = (s) => {
    if (!closed && on.status) on.status(s);
  };
  status('connecting');
  es.onopen = () => status('open');
  es.onerror = () => status(es.readyState === 2 ? 'closed' : 'retrying');
  names.forEach((name) => {
    es.addEventListener(name, (ev) => {
      if (closed) return;
      let data;
      try {
        data = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (on[name]) on[name](data);
    });
  });
  return {
    close: () => {
      closed = true;
      es.close();
    },
  };
}
