/* The SCORM lesson's player page: takes what the SCO's frame passes (postMessage from scorm-api.js) and sends it,
   with the learner's session and CSRF token, to the runtime endpoint; says in a live region when it is saved, when
   the lesson is done, and when something was refused (the server's message, which names the element). */
(function () {
  "use strict";

  var frame = document.getElementById("sco-frame");
  var status = document.getElementById("scorm-status");
  if (!frame || !status) { return; }
  var queue = Promise.resolve();
  var courseDone = false; // once said, the course's completion stays the news

  function say(text) { status.textContent = text; }

  function post(message) {
    return fetch(frame.dataset.runtime, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": frame.dataset.csrf },
      body: JSON.stringify({ values: message.values, finish: message.finish })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var problems = [];
          Object.keys(body.errors && body.errors.json ? body.errors.json : {}).forEach(function (key) {
            problems.push(key + ": " + [].concat(body.errors.json[key]).join(" "));
          });
          say(frame.dataset.refused + " " + (problems.join(" ") || body.detail || body.title || ""));
          return;
        }
        if (body.course_completed) { courseDone = true; say(frame.dataset.courseDone); }
        else if (courseDone) { return; }
        else if (body.lesson_status === "passed" || body.lesson_status === "completed") { say(frame.dataset.lessonDone); }
        else { say(frame.dataset.saved); }
      });
    }).catch(function () { say(frame.dataset.failed); });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !event.data || event.data.bibnetScorm !== true) { return; }
    var message = { values: event.data.values || {}, finish: Boolean(event.data.finish) };
    queue = queue.then(function () { return post(message); });
  });
}());
