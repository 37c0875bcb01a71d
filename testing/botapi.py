"""A stand-in for Telegram's Bot API on 127.0.0.1, strict where Telegram is strict.

The bot under test talks to it through the real python-telegram-bot HTTP stack (base_url). It
enforces HTML entity parsing, the 4096-character message limit (UTF-16 code units after parsing),
64-byte callback data, 50 inline results and 200-character callback answers, and can be told to
answer with 429 or 5xx errors. Photos (sendPhoto, multipart) are kept with their bytes and caption. Standard library only.
"""

import html
import itertools
import json
import re
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlparse

BOT_ID = 777000111
BOT_USERNAME = "inspection_test_bot"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
JSON_FIELDS = {"reply_markup", "results", "allowed_updates", "link_preview_options", "reply_parameters", "button", "commands", "entities"}


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-answer (a poll cut short at shutdown) are not errors here."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class BadRequest(Exception):
    """A 400 with Telegram's wording."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The visible text of a message in HTML parse mode, or BadRequest as Telegram would answer."""
    out, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            tag = TAG.match(text, i)
            if not tag:
                raise BadRequest("can't parse entities: unexpected '<' (unsupported start tag or unclosed tag)")
            closing, name = tag.group(1), tag.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise BadRequest(f"can't parse entities: unsupported start tag \"{name}\"")
            if closing:
                if not stack or stack[-1] != name:
                    raise BadRequest(f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1] if stack else name}\"")
                stack.pop()
            else:
                stack.append(name)
            i = tag.end()
        elif ch == "&":
            entity = ENTITY.match(text, i)
            if not entity:
                raise BadRequest("can't parse entities: unsupported entity or bare '&'")
            out.append(html.unescape(entity.group()))
            i = entity.end()
        elif ch == ">":
            raise BadRequest("can't parse entities: unexpected '>'")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise BadRequest(f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


class APIHandler(BaseHTTPRequestHandler):
    """Bot API requests, answered by the BotAPI it is made for (BotAPI._handler)."""

    api: "BotAPI"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # file downloads
        path = unquote(urlparse(self.path).path)
        prefix = f"/file/bot{self.api.token}/"
        if path.startswith(prefix) and path[len(prefix):].removeprefix("documents/") in self.api.files:
            body = self.api.files[path[len(prefix):].removeprefix("documents/")]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
        if not match:
            return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = unquote(match.group(1)), match.group(2)
        if token != self.api.token:
            return self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        params = self._params()
        with self.api.lock:
            self.api.calls.append((method, params))
            queued = self.api.failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure:
            status, retry_after = failure
            body = {"ok": False, "error_code": status, "description": "Too Many Requests: retry after 1" if status == 429 else "Internal Server Error"}
            if status == 429:
                body["parameters"] = {"retry_after": retry_after}
            return self._reply(status, body)
        try:
            result = self.api._call(method, params)
        except BadRequest as error:
            with self.api.lock:
                self.api.errors.append((method, str(error)))
                self.api.lock.notify_all()
            return self._reply(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"})
        except PermissionError as error:
            return self._reply(403, {"ok": False, "error_code": 403, "description": f"Forbidden: {error}"})
        except LookupError:
            return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        with self.api.lock:
            self.api.lock.notify_all()
        self._reply(200, {"ok": True, "result": result})

    def _params(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            params = json.loads(raw or b"{}")
        elif ctype.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            # Fields are UTF-8 text (python-telegram-bot names no charset); files stay bytes.
            params = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True) if part.get_filename()
                      else part.get_payload(decode=True).decode("utf-8") for part in message.iter_parts()}
        else:
            params = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        return params

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class BotAPI:
    """The stand-in server, its state, and helpers to build updates. Every instance is kept in `opened` (until a
    test's teardown clears it), so what the bot sent can be checked after any test."""

    opened: ClassVar[list["BotAPI"]] = []

    def __init__(self, token: str) -> None:
        BotAPI.opened.append(self)
        self.token = token
        self.lock = threading.Condition()
        self.updates: list[dict] = []
        self.next_update = itertools.count(1)
        self.next_message = itertools.count(1000)
        self.calls: list[tuple[str, dict]] = []
        self.sent: list[dict] = []  # messages the bot sent or edited, newest last
        self.callback_answers: list[dict] = []
        self.inline_answers: list[dict] = []
        self.errors: list[tuple[str, str]] = []  # (method, description) of every 4xx we answered
        self.failures: dict[str, list[tuple[int, int]]] = {}  # method -> [(status, retry_after)]
        self.files: dict[str, bytes] = {}
        self.blocked: set[int] = set()
        self.admins: dict[int, set[int]] = {}  # group chat id -> user ids of its administrators
        self.webhook: dict | None = None
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> "BotAPI":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.lock.notify_all()
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/file/bot"

    # -- what tests do -------------------------------------------------------------------------

    def push(self, update: dict) -> dict:
        with self.lock:
            update["update_id"] = next(self.next_update)
            self.updates.append(update)
            self.lock.notify_all()
        return update

    def fail(self, method: str, status: int, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with this HTTP status."""
        with self.lock:
            self.failures.setdefault(method, []).extend([(status, retry_after)] * times)

    def wait_for(self, predicate, timeout: float = 15.0):  # noqa: ANN001
        """Block until predicate(self) is truthy; return its value or fail the test."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                value = predicate(self)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls][-20:]}; errors: {self.errors}")
                self.lock.wait(remaining)

    def messages_to(self, chat_id: int) -> list[dict]:
        with self.lock:
            return [m for m in self.sent if m["chat"]["id"] == chat_id]

    def method_calls(self, method: str) -> list[dict]:
        with self.lock:
            return [p for m, p in self.calls if m == method]

    # -- updates as Telegram sends them ----------------------------------------------------------

    @staticmethod
    def user(user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}

    def message(self, text: str | None = None, *, chat_id: int = 1001, user_id: int | None = None, chat_type: str = "private", **extra: object) -> dict:
        user_id = user_id or chat_id
        message = {
            "message_id": next(self.next_message),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Newsroom"} if chat_type != "private" else {})},
            "from": self.user(user_id),
        }
        if text is not None:
            message["text"] = text
            entities = []
            for m in re.finditer(r"(?:^|\s)(/[a-z_]+(?:@\w+)?)", text):
                if m.start(1) == 0:
                    entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(m.group(1))})
            for m in re.finditer(r"@\w+", text):
                entities.append({"type": "mention", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
            if entities:
                message["entities"] = entities
        message.update(extra)
        return {"message": message}

    def send_text(self, text: str, **kwargs: object) -> dict:
        return self.push(self.message(text, **kwargs))

    def press(self, data: str, message: dict, *, user_id: int | None = None) -> dict:
        """The user presses an inline button with this callback data under `message` (one the bot sent)."""
        user_id = user_id or message["chat"]["id"]
        return self.push({"callback_query": {
            "id": str(next(self.next_message)), "from": self.user(user_id), "chat_instance": "1",
            "message": message, "data": data,
        }})

    def press_inline(self, data: str, *, user_id: int = 1001) -> dict:
        """The user presses a button under an inline message (one sent via the bot): the update has no message."""
        return self.push({"callback_query": {
            "id": str(next(self.next_message)), "from": self.user(user_id), "chat_instance": "1",
            "inline_message_id": f"inline-{next(self.next_message)}", "data": data,
        }})

    def inline(self, query: str, *, user_id: int = 1001) -> dict:
        return self.push({"inline_query": {"id": str(next(self.next_message)), "from": self.user(user_id), "query": query, "offset": ""}})

    def add_file(self, file_id: str, data: bytes) -> None:
        self.files[file_id] = data

    # -- the server ----------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (APIHandler,), {"api": self})

    def _call(self, method: str, p: dict):
        """Answer one Bot API method as Telegram would (BadRequest, PermissionError and LookupError become 400, 403, 404)."""
        if method in ("setMyCommands", "sendChatAction", "close", "logOut", "setChatMenuButton"):
            return True  # accepted; nothing to keep
        if method == "deleteWebhook":
            self.webhook = None
            return True
        answer = {
            "getMe": self._get_me, "setWebhook": self._set_webhook, "getUpdates": self._get_updates, "sendMessage": self._send_message,
            "sendPhoto": self._send_photo, "editMessageText": self._edit_message_text, "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query, "answerInlineQuery": self._answer_inline_query,
            "getChatMember": self._get_chat_member, "getFile": self._get_file,
        }.get(method)
        if answer is None:
            raise LookupError(method)
        return answer(p)

    def _get_me(self, p: dict):
        return {"id": BOT_ID, "is_bot": True, "first_name": "Inspection", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}

    def _set_webhook(self, p: dict):
        self.webhook = p
        return True

    def _get_updates(self, p: dict):
        offset = int(p.get("offset") or 0)
        timeout = min(float(p.get("timeout") or 0), 2.0)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                ready = [u for u in self.updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ready[: int(p.get("limit") or 100)]
                self.lock.wait(max(0.0, deadline - time.monotonic()))

    def _send_message(self, p: dict):
        chat_id = int(p["chat_id"])
        if chat_id in self.blocked:
            raise PermissionError("bot was blocked by the user")
        text = self._check_text(p)
        self._check_markup(p.get("reply_markup"))
        message = {"message_id": next(self.next_message), "date": int(time.time()), "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Inspection", "username": BOT_USERNAME},
                   "text": text, "html": p["text"], "reply_markup": p.get("reply_markup"),
                   "reply_to_message_id": (p.get("reply_parameters") or {}).get("message_id")}
        with self.lock:
            self.sent.append(message)
        return {k: v for k, v in message.items() if k not in ("html",) and v is not None}

    def _send_photo(self, p: dict):
        chat_id = int(p["chat_id"])
        photo = p.get("photo")
        if not isinstance(photo, bytes) or not photo:
            raise BadRequest("wrong file identifier/HTTP URL specified")
        caption = p.get("caption") or ""
        visible = parse_html(caption) if (p.get("parse_mode") or "").upper() == "HTML" else caption
        if utf16_len(visible) > 1024:
            raise BadRequest("message caption is too long")
        self._check_markup(p.get("reply_markup"))
        message = {"message_id": next(self.next_message), "date": int(time.time()), "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Inspection", "username": BOT_USERNAME},
                   "photo": [{"file_id": f"photo-{len(photo)}", "file_unique_id": "p", "width": 1, "height": 1, "file_size": len(photo)}],
                   "caption": visible, "text": "", "bytes": photo}
        with self.lock:
            self.sent.append(message)
        return {k: v for k, v in message.items() if k not in ("bytes", "text")}

    def _edit_message_text(self, p: dict):
        text = self._check_text(p)
        self._check_markup(p.get("reply_markup"))
        with self.lock:
            for m in self.sent:
                if m["message_id"] == int(p["message_id"]) and m["chat"]["id"] == int(p["chat_id"]):
                    m.update(text=text, html=p["text"], reply_markup=p.get("reply_markup"), edited=True)
                    return {k: v for k, v in m.items() if k not in ("html", "edited") and v is not None}
        raise BadRequest("message to edit not found")

    def _edit_message_reply_markup(self, p: dict):
        self._check_markup(p.get("reply_markup"))
        return True

    def _answer_callback_query(self, p: dict):
        if len(p.get("text") or "") > 200:
            raise BadRequest("MESSAGE_TOO_LONG: callback answer text is longer than 200 characters")
        with self.lock:
            self.callback_answers.append(p)
        return True

    def _answer_inline_query(self, p: dict):
        results = p.get("results") or []
        if len(results) > 50:
            raise BadRequest("RESULTS_TOO_MUCH: at most 50 results are allowed")
        for r in results:
            content = r.get("input_message_content") or {}
            self._check_text(content)
            self._check_markup(r.get("reply_markup"))
            if len(r.get("id", "")) > 64:
                raise BadRequest("RESULT_ID_INVALID")
        with self.lock:
            self.inline_answers.append(p)
        return True

    def _get_chat_member(self, p: dict):
        user_id = int(p["user_id"])
        if user_id in self.admins.get(int(p["chat_id"]), set()):
            return {"status": "creator", "user": self.user(user_id), "is_anonymous": False}
        return {"status": "member", "user": self.user(user_id)}

    def _get_file(self, p: dict):
        file_id = p["file_id"]
        if file_id not in self.files:
            raise BadRequest("invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}

    @staticmethod
    def _check_text(p: dict) -> str:
        text = p.get("text", p.get("message_text"))
        if not text or not str(text).strip():
            raise BadRequest("message text is empty")
        visible = parse_html(text) if (p.get("parse_mode") or "").upper() == "HTML" else text
        if utf16_len(visible) > 4096:
            raise BadRequest("message is too long")
        if not visible.strip():
            raise BadRequest("message text is empty")
        return visible

    @staticmethod
    def _check_markup(markup: dict | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise BadRequest("BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise BadRequest("BUTTON_TEXT_EMPTY")
