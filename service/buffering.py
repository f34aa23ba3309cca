"""Take a slow client's request body whole before the app runs, and a streamed response whole before it
is sent, so that a client trickling bytes or not reading holds no database connection or snapshot.

gunicorn's gevent workers (gunicorn.conf.py) wrap the app in this: there a slow client costs a paused
greenlet and its buffers, as it would behind a buffering proxy. POST /import is left streaming: its
body is read as it arrives, up to MAX_IMPORT_BYTES, which is too much to hold first.
"""
import io
import tempfile
import time

BLOCK = 64 * 1024
IN_MEMORY = 1024 * 1024  # a spooled response past this goes to a temporary file
STREAMED_BODIES = ("/import",)


class BufferSlowClients:
    def __init__(self, app, max_request_bytes):
        self.app, self.max_request_bytes = app, max_request_bytes

    def __call__(self, environ, start_response):
        self._read_body(environ)
        started = {}

        def remember(status, headers, exc_info=None):
            started.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # the app writes only through its iterable (Flask never calls write)

        app_iter = self.app(environ, remember)
        sized = any(name.lower() == "content-length" for name, _ in started["headers"])
        if sized or environ["REQUEST_METHOD"] == "HEAD" or started["status"][:3] in ("204", "304"):
            start_response(started["status"], started["headers"], started["exc_info"])
            return app_iter
        spooled = self._spool(app_iter)
        headers = started["headers"] + [("Content-Length", str(spooled.seek(0, io.SEEK_END)))]
        spooled.seek(0)
        start_response(started["status"], headers, started["exc_info"])
        return _Blocks(spooled)

    def _read_body(self, environ):
        """Replace wsgi.input by the body read whole, up to one byte past the limit (the app then says 413)."""
        if environ.get("PATH_INFO") in STREAMED_BODIES or environ["REQUEST_METHOD"] in ("GET", "HEAD", "OPTIONS"):
            return
        length = environ.get("CONTENT_LENGTH")
        limit = int(length) if length and length.isdigit() else self.max_request_bytes + 1
        if limit > self.max_request_bytes + 1:
            return  # refused on its Content-Length alone, unread
        body, wire = bytearray(), environ["wsgi.input"]
        while len(body) < limit and (block := wire.read(min(BLOCK, limit - len(body)))):
            body += block
        environ["wsgi.input"] = io.BytesIO(bytes(body))

    @staticmethod
    def _spool(app_iter):
        spooled = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
        try:
            for chunk in app_iter:
                spooled.write(chunk)
                time.sleep(0)  # a long stream lets the worker's other connections run between its chunks
        except BaseException:
            spooled.close()
            raise
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        return spooled


class _Blocks:
    """A spooled response, read back a block at a time and closed when the server is done with it."""

    def __init__(self, spooled):
        self.spooled = spooled

    def __iter__(self):
        while block := self.spooled.read(BLOCK):
            yield block

    def close(self):
        self.spooled.close()
