"""The WSGI application lbuild's adapter calls on Lambda (handler "wsgi:mysite.wsgi.application");
the same object any WSGI server (gunicorn, `manage.py runserver`) would serve."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
