// The phone's connection to the server: an event stream that heals itself, and an outbox of answers.
//
// A frozen connection (roaming, a venue's NAT) stays open but silent, so the stream is watched: the
// server pings while nothing changes, and a stream silent for DEAD_AFTER heartbeats is closed and
// opened again with backoff; a new stream starts with the state now. Until a stream delivers again,
// the phone asks for the state every few seconds, so a poll still arrives when only long-lived
// connections die (a NAT that drops idle ones, a proxy that holds streams back). Answers wait in localStorage
// (per event and phone) until the server has answered them, and are sent again with the same
// client_vote_id, which the server counts once. Plain ES2018: old phones run it.
"use strict";

var Connection = (function () {
  var DEFAULT_HEARTBEAT_SECONDS = 10;  // until the server's first ping tells its interval
  var DEAD_AFTER = 2.5;  // heartbeats of silence
  var LONGEST_WAIT_MS = 10000;  // between attempts, and for one answer to be answered
  var STATE_EVERY_MS = 4000;  // without a working stream the phone asks for the state this often

  var options = null;  // {code, deviceId, language(), onState(snapshot)}
  var heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  var source = null;
  var watchdog = null;
  var retryTimer = null;
  var streamFailures = 0;
  var asking = false;  // asking for the state every STATE_EVERY_MS, while no stream delivers
  var askTimer = null;
  var asked = 0;  // which round of asking an answer belongs to: one that comes after the stream is back is old
  var askedOk = false;  // the last ask was answered
  var online = null;
  var statusListeners = [];
  var answerListeners = [];
  var waiting = {};  // client_vote_id → {resolve, whileQueued} of the answers sent from this page
  var flushing = false;
  var flushTimer = null;
  var flushFailures = 0;

  function deadAfterMs() {
    return heartbeatSeconds * DEAD_AFTER * 1000;
  }

  // 1, 2, 4 … seconds up to LONGEST_WAIT_MS, each between half and all of it, so a room does not come back at once.
  function backoff(failures) {
    var delay = Math.min(LONGEST_WAIT_MS, 1000 * Math.pow(2, failures));
    return delay / 2 + Math.random() * delay / 2;
  }

  function setOnline(value) {
    if (online === value) return;
    online = value;
    statusListeners.forEach(function (listener) { listener(value); });
    if (value) flush();
  }

  // fetch that gives up after a while: a frozen connection never answers, and the answer goes back to the outbox.
  function request(method, path, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var init = { method: method, headers: { Accept: "application/json" }, cache: "no-store" };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    if (controller) init.signal = controller.signal;
    var url = path + (path.indexOf("?") >= 0 ? "&" : "?") + "lang=" + options.language();
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        if (controller) controller.abort();
        reject(new Error("timeout"));  // without AbortController the request runs on, unheard
      }, Math.min(LONGEST_WAIT_MS, deadAfterMs()));
      fetch(url, init).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          clearTimeout(timer);
          resolve({ ok: response.ok, status: response.status, body: answer });
        });
      }).catch(function (error) {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  // --- the state: a stream, or asking every few seconds ---

  function alive() {
    streamFailures = 0;
    stopAsking();
    setOnline(true);
    clearTimeout(watchdog);
    watchdog = setTimeout(dead, deadAfterMs());
  }

  // The stream is silent or closed: a new one after a while, and meanwhile the state is asked for.
  function dead() {
    if (!askedOk) setOnline(false);
    clearTimeout(watchdog);
    if (source) source.close();
    source = null;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(listen, backoff(streamFailures++));
    startAsking();
  }

  function listen() {
    if (typeof EventSource === "undefined") {
      startAsking();
      return;
    }
    source = new EventSource("/api/events/" + encodeURIComponent(options.code) + "/stream");
    source.addEventListener("state", function (message) {
      alive();
      options.onState(JSON.parse(message.data));
    });
    source.addEventListener("ping", function (message) {
      var seconds = Number(message.data);
      if (seconds > 0) heartbeatSeconds = seconds;
      alive();
    });
    source.addEventListener("error", function () {
      if (source && source.readyState === EventSource.CLOSED) dead();
      else if (!askedOk) setOnline(false);  // the browser tries again by itself; the watchdog takes over if that stalls
    });
    clearTimeout(watchdog);
    watchdog = setTimeout(dead, deadAfterMs());  // a stream that never opens is as dead as a silent one
  }

  function startAsking() {
    if (asking) return;
    asking = true;
    askForState();
  }

  function stopAsking() {
    asking = false;
    askedOk = false;
    asked++;
    clearTimeout(askTimer);
  }

  function askForState() {
    var round = asked;
    request("GET", "/api/events/" + encodeURIComponent(options.code) + "/state").then(function (answer) {
      if (round !== asked) return;
      askedOk = answer.ok;
      if (answer.ok) {
        setOnline(true);
        options.onState(answer.body);
      }
      askTimer = setTimeout(askForState, STATE_EVERY_MS);
    }, function () {
      if (round !== asked) return;
      askedOk = false;
      setOnline(false);
      askTimer = setTimeout(askForState, STATE_EVERY_MS);
    });
  }

  // --- the outbox ---

  function outboxKey() {
    return "outbox:" + options.code + ":" + options.deviceId;
  }

  function outbox() {
    try {
      var entries = JSON.parse(localStorage.getItem(outboxKey()) || "[]");
      return Array.isArray(entries) ? entries : [];
    } catch (error) {
      return [];
    }
  }

  function keep(entries) {
    localStorage.setItem(outboxKey(), JSON.stringify(entries));
  }

  function retryable(status) {
    return status === 408 || status === 429 || status >= 500;
  }

  function settle(entry, answer) {
    keep(outbox().filter(function (kept) { return kept.vote.client_vote_id !== entry.vote.client_vote_id; }));
    answerListeners.forEach(function (listener) { listener(entry.vote, answer); });
    var waiter = waiting[entry.vote.client_vote_id];
    delete waiting[entry.vote.client_vote_id];
    if (waiter) waiter.resolve(answer);
  }

  function stillQueued() {
    outbox().forEach(function (entry) {
      var waiter = waiting[entry.vote.client_vote_id];
      if (waiter && waiter.whileQueued) {
        waiter.whileQueued();
        waiter.whileQueued = null;
      }
    });
  }

  // One answer at a time, oldest first, until the outbox is empty or the connection fails.
  function flush() {
    if (flushing || !options) return;
    var entries = outbox();
    if (!entries.length) return;
    flushing = true;
    clearTimeout(flushTimer);
    var entry = entries[0];
    request("POST", "/api/polls/" + encodeURIComponent(entry.poll_id) + "/votes", entry.vote).then(function (answer) {
      flushing = false;
      if (retryable(answer.status)) {
        tryLater();
        return;
      }
      flushFailures = 0;
      settle(entry, answer);
      flush();
    }, function () {
      flushing = false;
      tryLater();
    });
  }

  function tryLater() {
    stillQueued();
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, backoff(flushFailures++));
  }

  return {
    // Listen for the state (`onState(snapshot)`) and send what the outbox holds from before.
    start: function (settings) {
      if (options) return;
      options = settings;
      window.addEventListener("online", function () {
        flush();
        if (source === null && typeof EventSource !== "undefined") {
          clearTimeout(retryTimer);
          listen();
        }
      });
      listen();
      flush();
    },
    // `listener(online)` when the connection is lost or back.
    onStatus: function (listener) {
      statusListeners.push(listener);
    },
    // `listener(vote, answer)` for every answer the server has answered, also ones sent before a reload.
    onAnswer: function (listener) {
      answerListeners.push(listener);
    },
    // The answer to this question that waits in the outbox (its vote), or null.
    waitingFor: function (questionId) {
      var entries = outbox().filter(function (entry) { return entry.vote.question_id === questionId; });
      return entries.length ? entries[entries.length - 1].vote : null;
    },
    // Resolves with the server's {ok, status, body} once it has answered; with null if a newer answer to the
    // same question replaced this one first. `whileQueued()` is called if it must wait for the connection.
    send: function (pollId, vote, whileQueued) {
      var entries = outbox().filter(function (entry) {
        var replaced = entry.vote.question_id === vote.question_id;
        if (replaced && waiting[entry.vote.client_vote_id]) {
          waiting[entry.vote.client_vote_id].resolve(null);
          delete waiting[entry.vote.client_vote_id];
        }
        return !replaced;
      });
      entries.push({ poll_id: pollId, vote: vote });
      keep(entries);
      return new Promise(function (resolve) {
        waiting[vote.client_vote_id] = { resolve: resolve, whileQueued: whileQueued };
        if (flushing) return;  // the answer in flight goes first; this one follows
        flush();
      });
    },
  };
})();
