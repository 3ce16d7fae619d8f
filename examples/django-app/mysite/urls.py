from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve
from django.urls import path, re_path

from catalog import views

urlpatterns = [
    path("books/", views.books),
    path("admin/", admin.site.urls),
]

if settings.SERVE_STATIC:
    # Static files straight from the apps' static/ folders (the admin's CSS and JS in the zip):
    # fine on your machine, too slow and costly for production, where they belong on S3/CloudFront.
    # `insecure` because Django only does this by itself with DEBUG on.
    urlpatterns.append(
        re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
    )
