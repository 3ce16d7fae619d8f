"""A data migration: the catalog starts with a few books, so the view has rows to read after
`lbuild manage migrate`. Reversible: migrating back to 0001 removes them again."""
from django.db import migrations

BOOKS = [
    ("Structure and Interpretation of Computer Programs", "Abelson and Sussman", 1985),
    ("The Mythical Man-Month", "Frederick P. Brooks Jr.", 1975),
    ("Designing Data-Intensive Applications", "Martin Kleppmann", 2017),
]


def add_books(apps, schema_editor):
    # The historical model, not catalog.models.Book: this code must keep working as the model changes.
    Book = apps.get_model("catalog", "Book")
    Book.objects.bulk_create(Book(title=t, author=a, year=y) for t, a, y in BOOKS)


def remove_books(apps, schema_editor):
    Book = apps.get_model("catalog", "Book")
    Book.objects.filter(title__in=[title for title, _, _ in BOOKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(add_books, remove_books)]
