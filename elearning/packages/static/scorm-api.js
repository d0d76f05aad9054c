/* BibNet's SCORM 1.2 API inside a SCO's sandboxed frame (see bibnet.elearning.packages.views for why it lives here).
   The SCO finds window.API in its own window. Values are read from and written to a copy here, so every call
   answers at once, as SCORM 1.2 demands; LMSCommit and LMSFinish pass the changes to the player page, the only
   one that may talk to BibNet. The checks mirror the server's, which checks again. */
(function () {
  "use strict";

  var script = document.currentScript;
  var values = JSON.parse(script.getAttribute("data-cmi") || "{}");
  var parentOrigin = script.getAttribute("data-parent-origin");
  var changed = {};
  var state = "not initialized"; // then "running", then "finished"
  var lastError = "0";

  var ERRORS = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "202": "Element cannot have children", "203": "Element not an array - cannot have count",
    "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
    "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type"
  };
  var CHILDREN = {
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max"
  };
  var READ_ONLY = ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry",
    "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data"];
  var WRITE_ONLY = ["cmi.core.exit", "cmi.core.session_time"];
  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed"];
  var EXITS = ["time-out", "suspend", "logout", ""];
  var TIMESPAN = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var DECIMAL = /^-?\d{1,10}(\.\d{1,10})?$/;

  function fail(code) {
    lastError = code;
    return code === "0";
  }

  function valid(element, value) {
    if (element === "cmi.core.lesson_status") { return STATUSES.indexOf(value) >= 0; }
    if (element.indexOf("cmi.core.score.") === 0) {
      return value === "" || (DECIMAL.test(value) && Number(value) >= 0 && Number(value) <= 100);
    }
    if (element === "cmi.core.session_time") { return TIMESPAN.test(value); }
    if (element === "cmi.core.exit") { return EXITS.indexOf(value) >= 0; }
    if (element === "cmi.suspend_data") { return value.length <= 4096; }
    if (element === "cmi.core.lesson_location") { return value.length <= 255; }
    return false;
  }

  function send(finish) {
    var message = { bibnetScorm: true, values: changed, finish: finish };
    changed = {};
    window.parent.postMessage(message, parentOrigin);
  }

  window.API = {
    LMSInitialize: function (argument) {
      if (argument !== "") { return String(fail("201")); }
      if (state !== "not initialized") { return String(fail("101")); }
      state = "running";
      return String(fail("0"));
    },
    LMSFinish: function (argument) {
      if (argument !== "") { return String(fail("201")); }
      if (state !== "running") { return String(fail("301")); }
      state = "finished";
      send(true);
      return String(fail("0"));
    },
    LMSCommit: function (argument) {
      if (argument !== "") { return String(fail("201")); }
      if (state !== "running") { return String(fail("301")); }
      send(false);
      return String(fail("0"));
    },
    LMSGetValue: function (element) {
      if (state !== "running") { fail("301"); return ""; }
      element = String(element);
      if (Object.prototype.hasOwnProperty.call(CHILDREN, element)) { fail("0"); return CHILDREN[element]; }
      if (WRITE_ONLY.indexOf(element) >= 0) { fail("404"); return ""; }
      if (!Object.prototype.hasOwnProperty.call(values, element)) { fail("401"); return ""; }
      fail("0");
      return values[element];
    },
    LMSSetValue: function (element, value) {
      if (state !== "running") { return String(fail("301")); }
      element = String(element);
      value = String(value);
      if (Object.prototype.hasOwnProperty.call(CHILDREN, element)) { return String(fail("402")); }
      if (READ_ONLY.indexOf(element) >= 0) { return String(fail("403")); }
      if (WRITE_ONLY.indexOf(element) < 0 && !Object.prototype.hasOwnProperty.call(values, element)) { return String(fail("401")); }
      if (!valid(element, value)) { return String(fail("405")); }
      if (WRITE_ONLY.indexOf(element) < 0) { values[element] = value; }
      changed[element] = value;
      return String(fail("0"));
    },
    LMSGetLastError: function () { return lastError; },
    LMSGetErrorString: function (code) { return ERRORS[String(code)] || ""; },
    LMSGetDiagnostic: function (code) { return ERRORS[String(code || lastError)] || ""; }
  };

  window.addEventListener("pagehide", function () {
    if (state === "running" && Object.keys(changed).length) { send(false); }
  });
}());
