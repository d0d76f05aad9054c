/* How far a long import step has got, for forms marked data-progress="<id of the progress box>".
   A form with a file is sent with XMLHttpRequest, which reports the upload's progress; then, as for the
   other forms, the bar turns indeterminate while the server reads and checks the rows. The status line
   is a live region, so screen readers hear the steps. Without this script the forms are sent as usual. */
(function () {
  "use strict";

  function parts(form) {
    var box = document.getElementById(form.dataset.progress);
    if (!box) {
      return null;
    }
    box.hidden = false;
    return { bar: document.getElementById(box.id + "-bar"), status: document.getElementById(box.id + "-status") };
  }

  function setButtons(form, disabled) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = disabled;
    });
  }

  function waiting(form, shown) {
    shown.bar.removeAttribute("value");
    shown.status.textContent = form.dataset.waiting || "";
  }

  function upload(form, shown) {
    var request = new XMLHttpRequest();
    var announced = -1;
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) {
        return;
      }
      var percent = Math.round((event.loaded * 100) / event.total);
      shown.bar.value = percent;
      if (Math.floor(percent / 25) !== announced) {  // a quarter at a time: every percent would drown the screen reader
        announced = Math.floor(percent / 25);
        shown.status.textContent = form.dataset.uploading.replace("{percent}", percent);
      }
    });
    request.upload.addEventListener("load", function () {
      waiting(form, shown);
    });
    request.addEventListener("load", function () {
      if (request.status < 400 && request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL);  // accepted: the server redirected to the next step
        return;
      }
      document.open();  // refused: the page with its error summary, as a normal submission would show it
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      shown.status.textContent = form.dataset.failed || "";
      setButtons(form, false);
    });
    request.send(new FormData(form));
  }

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var shown = parts(form);
      if (!shown) {
        return;
      }
      var file = form.querySelector("input[type=file]");
      if (file && file.files.length && window.FormData) {
        event.preventDefault();
        shown.bar.value = 0;
        setButtons(form, true);
        upload(form, shown);
        return;
      }
      waiting(form, shown);  // the browser sends the form itself and shows the answer when it comes
      window.setTimeout(function () {
        setButtons(form, true);  // after the submission has started, so that it is not cancelled
      }, 0);
    });
  });
})();
