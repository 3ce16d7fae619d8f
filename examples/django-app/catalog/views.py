from django.http import JsonResponse

from .models import Book


def books(request):
    """Every book, read from Postgres on each request (no cache: the point is the database)."""
    rows = Book.objects.values("id", "title", "author", "year")
    return JsonResponse({"books": list(rows)})
