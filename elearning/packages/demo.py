"""The demo's SCORM lesson: a small SCORM 1.2 package (built here, in Latvian) added to Jelgava's own course as an
optional lesson, so the player can be tried with the demo's log-ins."""
import io
import zipfile

from bibnet.elearning.models import Course
from bibnet.elearning.packages import exchange

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bibnet-demo-sco" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Aprīkojuma pārbaude</title>
    <item identifier="check" identifierref="sco"><title>Pārbaudi sevi: aprīkojums</title></item>
  </organization></organizations>
  <resources><resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/><file href="check.js"/></resource></resources>
</manifest>"""
PAGE = """<!doctype html>
<html lang="lv"><head><meta charset="utf-8"><title>Pārbaudi sevi: aprīkojums</title></head>
<body><main>
<h1>Pārbaudi sevi: aprīkojums</h1>
<p id="hello"></p>
<fieldset><legend>Kā ieslēdz burbuļu kolonnu?</legend>
  <label><input type="radio" name="answer" value="door"> Ar slēdzi pie durvīm</label><br>
  <label><input type="radio" name="answer" value="remote"> Ar tālvadības pulti</label>
</fieldset>
<p><button type="button" id="check">Pārbaudīt atbildi</button></p>
<p id="result" role="status"></p>
</main><script src="check.js"></script></body></html>"""
SCRIPT = """(function () {
  var api = window.API;
  api.LMSInitialize("");
  var started = new Date();
  document.getElementById("hello").textContent = "Sveiki, " + api.LMSGetValue("cmi.core.student_name") + "!";
  document.getElementById("check").addEventListener("click", function () {
    var chosen = document.querySelector("input[name=answer]:checked");
    var right = chosen && chosen.value === "door";
    var seconds = Math.round((new Date() - started) / 1000);
    var time = "00" + ":" + ("0" + Math.floor(seconds / 60) % 60).slice(-2) + ":" + ("0" + seconds % 60).slice(-2);
    api.LMSSetValue("cmi.core.score.raw", right ? "100" : "0");
    api.LMSSetValue("cmi.core.lesson_status", right ? "passed" : "failed");
    api.LMSSetValue("cmi.core.session_time", time);
    api.LMSCommit("");
    document.getElementById("result").textContent = right ? "Pareizi!" : "Vēlreiz: skatiet nodarbību par burbuļu kolonnu.";
  });
}());"""


def package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", PAGE)
        archive.writestr("check.js", SCRIPT)
    return buffer.getvalue()


def add_scorm_lesson(course: Course) -> None:
    """An optional SCORM lesson at the end of the course's first module (its modules must be loaded)."""
    lesson = exchange.scorm_lesson(package(), course.modules[0], "lv")
    lesson.required = False
