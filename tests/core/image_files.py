"""Image files for upload tests: ordinary pictures, a photo with GPS EXIF, a bomb, mislabelled files."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825


def png(size: tuple[int, int] = (40, 30), color: tuple = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (120, 80)) -> bytes:
    """A photo as phones write it: camera make and model, GPS position, a comment."""
    image = Image.new("RGB", size, (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.5), 3: "E", 4: (13.0, 24.0, 7.25)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret note")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the fixture must really carry GPS"
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (the shape of an image bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: ``side`` x ``side`` random pixels (about 3 bytes a pixel)."""
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, filename: str, mimetype: str | None = None) -> tuple:
    """A file part for the test client's ``data=``."""
    return (io.BytesIO(data), filename, mimetype) if mimetype else (io.BytesIO(data), filename)
