"""WSGI entry point: ``gunicorn kaynak.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")
application = get_wsgi_application()
