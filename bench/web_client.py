"""A small HTTP/1.1 client for the benchmarks: one keep-alive connection, cookies kept by hand, no redirects followed.

Each simulated user is one `WebClient`: its own connection and its own session cookie. A server that closes the
connection after each response (PHP's built-in server does) is reconnected to by `http.client` on the next request.
"""
from dataclasses import dataclass
from html.parser import HTMLParser
import http.client
from http.cookies import SimpleCookie
import socket
import time
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class WebClient:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 120):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | list | None = None, headers: dict | None = None, body: bytes | None = None) -> Response:
        headers = dict(headers or {})
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a kept-alive connection between two requests: send it again on a new one.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value in ("", "deleted"):
                    self.cookies.pop(name, None)  # the server deleted it
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, data)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict | list) -> Response:
        return self.request("POST", path, form)

    def close(self) -> None:
        self.connection.close()


class FormReader(HTMLParser):
    """The fields of one form of a page (by its id, or the first form with an action ending in `action`)."""

    def __init__(self, form_id: str | None = None, action: str | None = None):
        super().__init__()
        self.form_id, self.action_ending = form_id, action
        self.inside = False
        self.found_action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._select_value: str | None = None
        self._multiple = False

    def _is_wanted(self, attributes: dict) -> bool:
        if self.form_id is not None:
            return attributes.get("id") == self.form_id
        return (attributes.get("action") or "").endswith(self.action_ending or "")

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form" and not self.inside and self.found_action is None and self._is_wanted(attributes):
            self.inside, self.found_action = True, attributes.get("action", "")
        if not self.inside or "disabled" in attributes or ("name" not in attributes and tag != "option"):
            return  # a browser sends neither disabled fields nor nameless ones
        kind = attributes.get("type", "text").lower()
        if tag == "input" and kind not in ("submit", "button", "image", "reset", "file"):
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((attributes["name"], attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._first_option, self._select_value = attributes["name"], None, None
            self._multiple = "multiple" in attributes
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._first_option is None and not self._multiple:
                self._first_option = value  # a single choice sends its first option when none is selected
            if "selected" in attributes and self._select_value is None:
                self._select_value = value
        elif tag == "textarea":
            self.fields.append((attributes["name"], ""))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            if value is not None:
                self.fields.append((self._select, value))
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def read_form(page: str, form_id: str | None = None, action: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(action, fields as a browser would send them untouched) of the wanted form; ValueError when it is not there."""
    reader = FormReader(form_id, action)
    reader.feed(page)
    if reader.found_action is None:
        raise ValueError(f"no form {form_id or action!r} on the page")
    return reader.found_action, reader.fields


def wait_for_port(port: int, process, seconds: float = 60, host: str = "127.0.0.1") -> None:
    """Until a server accepts connections on `port`; SystemExit if its process ended first or time ran out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server ({' '.join(map(str, process.args[:3]))} …) stopped with code {process.returncode} before it listened")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listened on {host}:{port} after {seconds:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
