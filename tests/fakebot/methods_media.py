"""Bot API methods with files: ``send<Photo|Document|Audio|...>``, ``sendMediaGroup`` and
``getFile``, plus storing uploads (so they can be downloaded again) and building the media part
of the returned message.
"""

from __future__ import annotations

import mimetypes
import struct
from collections.abc import Callable
from typing import Any

from tests.fakebot.models import ApiError, JSONDict, Request, StoredFile
from tests.fakebot.state import BotApiState
from tests.fakebot.validation import checked_caption, inline_markup


def _image_size(data: bytes) -> tuple[int, int]:
    """Width/height of a PNG (the format bots usually render charts in), else a plausible guess."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 800, 600


class MediaMethods(BotApiState):
    """File storage (``self._files``) and the methods that send or look up files."""

    def _store_file(
        self,
        data: bytes,
        kind: str,
        file_name: str | None,
        mime_type: str | None,
        file_id: str | None = None,
    ) -> StoredFile:
        number = next(self._file_ids)
        file_id = file_id or f"FAKE-{kind.upper()}-{number:06d}"
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name, strict=False)[0] or mime_type
        extension = (mimetypes.guess_extension(mime_type or "") or "") if not file_name else ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"U{number:06d}",
            data=data,
            file_path=f"{kind}s/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[file_id] = stored
        return stored

    def _resolve_file(self, request: Request, field_name: str, value: Any, kind: str) -> StoredFile:
        """Find the file the bot sent as ``field_name``: an upload, attach:// or a file_id/URL."""
        part = field_name
        if isinstance(value, str) and value.startswith("attach://"):
            part = value[len("attach://") :]
        if part in request.files:
            return self._store_file(
                request.files[part],
                kind,
                request.file_names.get(part),
                request.file_types.get(part),
            )
        if isinstance(value, str) and value and not value.startswith("attach://"):
            known = self._files.get(value)
            if known is not None:
                return known
            # An unknown file_id or an URL: accept it like Telegram would for a valid one.
            name = value.rsplit("/", 1)[-1] if value.startswith("http") else None
            return self._store_file(b"", kind, name, None, file_id=value)
        raise ApiError(400, f"Bad Request: there is no {field_name} in the request")

    def _media_content(self, kind: str, stored: StoredFile, spec: JSONDict) -> JSONDict:
        """The message content fields for a file of ``kind`` (photo, document, audio, ...)."""
        base: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if kind == "photo":
            width, height = _image_size(stored.data)
            small_id = stored.file_id + "-thumb"
            if small_id not in self._files:
                self._files[small_id] = StoredFile(
                    small_id,
                    stored.file_unique_id + "t",
                    stored.data,
                    stored.file_path,
                    stored.file_name,
                    stored.mime_type,
                )
            return {
                "photo": [
                    {
                        **base,
                        "file_id": small_id,
                        "file_unique_id": stored.file_unique_id + "t",
                        "width": max(1, width // 4),
                        "height": max(1, height // 4),
                    },
                    {**base, "width": width, "height": height},
                ]
            }
        duration = spec.get("duration") if isinstance(spec.get("duration"), int) else 1
        named = dict(base)
        if stored.file_name:
            named["file_name"] = stored.file_name
        if stored.mime_type:
            named["mime_type"] = stored.mime_type
        if kind == "document":
            return {"document": named}
        if kind == "audio":
            return {"audio": {**named, "duration": duration}}
        if kind in ("video", "animation"):
            size = {"width": 640, "height": 360}
            size.update({k: v for k in size if isinstance(v := spec.get(k), int)})
            return {kind: {**named, **size, "duration": duration}}
        if kind == "voice":
            return {"voice": {**base, "duration": duration}}
        if kind == "video_note":
            return {"video_note": {**base, "length": 240, "duration": duration}}
        if kind == "sticker":
            return {
                "sticker": {
                    **base,
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            }
        return {"document": named}

    def _make_send_file(self, kind: str) -> Callable[[Request], JSONDict]:
        def send(request: Request) -> JSONDict:
            params = request.params
            caption = checked_caption(params)
            self._chat_for(params.get("chat_id"))  # fail on a bad chat before storing the file
            inline_markup(params)
            stored = self._resolve_file(request, kind, params.get(kind), kind)
            content = self._media_content(kind, stored, params)
            if caption is not None and kind not in ("sticker", "video_note"):
                content["caption"] = caption
            return self._new_message(params, content)

        return send

    def _send_media_group(self, request: Request) -> list[JSONDict]:
        media = request.params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media specified")
        group_id = str(next(self._file_ids) * 1_000_003)
        messages = []
        for item in media:
            kind = str(item.get("type", "document"))
            stored = self._resolve_file(request, "media", item.get("media"), kind)
            content = self._media_content(kind, stored, item)
            caption = checked_caption(item)
            if caption is not None:
                content["caption"] = caption
            content["media_group_id"] = group_id
            messages.append(
                self._new_message(
                    {k: v for k, v in request.params.items() if k != "reply_markup"}, content
                )
            )
        return messages

    def _get_file(self, request: Request) -> JSONDict:
        stored = self._files.get(str(request.params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }
