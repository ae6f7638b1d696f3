"""Files kept outside the web root: no URL reaches them; a permission-checked view streams them."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Stores under the setting ``setting_name`` (default ``<VAR_DIR>/<default_dir>``), outside
    the web root and MEDIA_ROOT. The directory is read from the settings on every use, so tests
    can point it at a temporary directory. Subclasses name the setting and the folder (and are
    ``@deconstructible`` so migrations refer to them)."""

    setting_name = ""
    default_dir = ""

    @property
    def base_location(self) -> str:
        configured = getattr(settings, self.setting_name, None)
        return str(configured or settings.VAR_DIR / self.default_dir)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError(f"Files of {type(self).__name__} have no public URL; use their view.")
